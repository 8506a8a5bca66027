"""Bug: losses must be scalars (shape ()); this answer averages over axis -1 only, so (batch, 1) logits give a (batch,) loss instead of the batch mean."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_is_log2_per_term_at_zero_logits", "test_discriminator_loss_matches_the_contract_in_values_and_gradients")

from keras import ops  # noqa: E402


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    real_term = ops.mean(sigmoid_cross_entropy(real_logits, ops.full_like(real_logits, 1.0 - real_smoothing)), axis=-1)
    fake_term = ops.mean(sigmoid_cross_entropy(fake_logits, ops.zeros_like(fake_logits)), axis=-1)
    return real_term + fake_term


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return ops.mean(sigmoid_cross_entropy(fake_logits, ops.ones_like(fake_logits)), axis=-1)
