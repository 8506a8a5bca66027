"""Bug: losses must be float32 scalars; this answer never casts, so float64 logits (e.g. NumPy arrays) give float64 losses."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_generator_loss_matches_the_contract_in_values_and_gradients",)

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits)
    targets = ops.cast(ops.convert_to_tensor(targets), logits.dtype)
    return ops.softplus(logits) - logits * targets


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    real_logits = ops.convert_to_tensor(real_logits)
    fake_logits = ops.convert_to_tensor(fake_logits)
    real_term = ops.mean(sigmoid_cross_entropy(real_logits, ops.full_like(real_logits, 1.0 - real_smoothing)))
    fake_term = ops.mean(sigmoid_cross_entropy(fake_logits, ops.zeros_like(fake_logits)))
    return real_term + fake_term


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits)
    return ops.mean(sigmoid_cross_entropy(fake_logits, ops.ones_like(fake_logits)))
