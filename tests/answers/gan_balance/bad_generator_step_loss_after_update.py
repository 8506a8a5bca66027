"""Bug: generator_step returns the loss of its one update; this answer re-scores G(z) after the update and returns that smaller loss."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_generator_step_applies_one_update_of_the_non_saturating_loss",)
_reference_generator_step = generator_step  # noqa: F821


def generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0):
    """One G update; returns the loss measured after the update."""
    _reference_generator_step(generator, discriminator, g_optimizer, z, noise_std)
    fake_logits = discriminator(add_instance_noise(generator(z, training=True), noise_std), training=True)  # noqa: F821
    return tf.reduce_mean(_bce(fake_logits, 1.0))  # noqa: F821
