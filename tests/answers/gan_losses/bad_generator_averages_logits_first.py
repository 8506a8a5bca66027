"""Bug: generator_loss is the mean over examples of the cross-entropy of each fake logit against 1; this answer averages the logits first and takes the cross-entropy of that single mean logit (mean taken before the nonlinearity)."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_generator_loss_matches_hand_computed_value", "test_generator_loss_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    mean_logit = ops.mean(fake_logits)
    return sigmoid_cross_entropy(mean_logit, ops.ones_like(mean_logit))  # noqa: F821
