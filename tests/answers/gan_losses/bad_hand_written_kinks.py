"""Bug: sigmoid_cross_entropy must have the exact gradient sigmoid(logits) - targets everywhere, logit 0 included; this answer writes max(x, 0) - x*y + log1p(exp(-|x|)) by hand, whose max and |x| kinks give the wrong gradient (1 - y instead of 0.5 - y) at exactly x = 0."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_the_contract_in_values_and_gradients", "test_discriminator_loss_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits, dtype="float32")
    targets = ops.convert_to_tensor(targets, dtype="float32")
    return ops.maximum(logits, 0.0) - logits * targets + ops.log1p(ops.exp(-ops.abs(logits)))
