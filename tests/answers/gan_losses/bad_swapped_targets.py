"""Bug: the discriminator is trained to call real images fake (target 0) and generated ones real (target 1)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_matches_hand_computed_value", "test_losses_are_finite_and_right_at_logits_of_100")


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    real = ops.mean(sigmoid_cross_entropy(real_logits, ops.zeros_like(real_logits)))  # noqa: F821
    fake = ops.mean(sigmoid_cross_entropy(fake_logits, ops.full_like(fake_logits, 1.0 - real_smoothing)))  # noqa: F821
    return real + fake
