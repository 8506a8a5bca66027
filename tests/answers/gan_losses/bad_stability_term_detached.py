"""Bug: losses must let the exact gradient sigmoid(logits) - targets flow; this answer writes softplus as relu(x) + log1p(exp(-|x|)) and wraps the log1p "stability correction" in stop_gradient, so the value is right but the gradient is step(x) - y."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_the_contract_in_values_and_gradients", "test_discriminator_loss_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits, dtype="float32")
    targets = ops.convert_to_tensor(targets, dtype="float32")
    correction = ops.stop_gradient(ops.log1p(ops.exp(-ops.abs(logits))))  # "just a constant for stability"
    return ops.relu(logits) - logits * targets + correction
