"""Bug: the cross-entropy must be computed from the logits for any size; this answer clips logits to [-15, 15] before softplus(x) - x*y, so CE(100, 0) is 15 instead of 100 and the gradient vanishes outside the clip."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_is_finite_for_logits_of_100", "test_cross_entropy_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.clip(ops.convert_to_tensor(logits, dtype="float32"), -15.0, 15.0)
    targets = ops.convert_to_tensor(targets, dtype="float32")
    return ops.softplus(logits) - logits * targets
