"""Bug: targets are any values in [0, 1]; this answer casts them to int32 (labels are 0/1, right?), so a smoothed target 0.9 becomes 0."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_hand_values", "test_cross_entropy_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits, dtype="float32")
    targets = ops.cast(ops.cast(targets, "int32"), "float32")
    return ops.softplus(logits) - logits * targets
