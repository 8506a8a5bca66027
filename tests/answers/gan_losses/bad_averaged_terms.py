"""Bug: halves the discriminator loss (averages the real and fake terms) against the contract's sum."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_is_log2_per_term_at_zero_logits",)
_reference_discriminator_loss = discriminator_loss  # noqa: F821


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    return 0.5 * _reference_discriminator_loss(real_logits, fake_logits, real_smoothing)
