"""Bug: train_step runs the discriminator step and then the generator step with the same z; this one draws a fresh standard-normal z for the generator step."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_train_step_runs_a_discriminator_step_then_a_generator_step_with_the_same_z",)


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    d_loss = discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing)  # noqa: F821
    g_loss = generator_step(generator, discriminator, g_optimizer, captions, tf.random.normal(tf.shape(z)))  # noqa: F821
    return {"d_loss": d_loss, "g_loss": g_loss}
