"""Bug: the cross-entropy must be usable at |logits| = 100; this answer picks between two branches with where, and the unselected branch overflows, so the value is finite but the gradient at large |logits| is NaN."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_the_contract_in_values_and_gradients", "test_discriminator_loss_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits, dtype="float32")
    targets = ops.convert_to_tensor(targets, dtype="float32")
    positive = logits - logits * targets + ops.log1p(ops.exp(-logits))
    negative = -logits * targets + ops.log1p(ops.exp(logits))
    return ops.where(logits >= 0, positive, negative)
