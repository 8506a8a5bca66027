"""Bug: sigmoid_cross_entropy must return a tensor of the same shape as the logits; this answer squeezes them first, so (batch, 1) gives (batch,) and (1, 1) gives a scalar."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_the_contract_in_values_and_gradients",)

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.squeeze(ops.convert_to_tensor(logits, dtype="float32"))
    targets = ops.squeeze(ops.convert_to_tensor(targets, dtype="float32"))
    return ops.softplus(logits) - logits * targets
