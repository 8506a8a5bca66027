"""Bug: train_step must pass real_smoothing on so the D loss uses target 1 - real_smoothing; this one calls discriminator_step without it, so smoothing is ignored at any non-default value."""

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_train_step_runs_a_discriminator_step_then_a_generator_step_with_the_same_z",)


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """A discriminator step, then a generator step, with the same noise."""
    d_loss = discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z)  # noqa: F821
    g_loss = generator_step(generator, discriminator, g_optimizer, captions, z)  # noqa: F821
    return {"d_loss": d_loss, "g_loss": g_loss}
