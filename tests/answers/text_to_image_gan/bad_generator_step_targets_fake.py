"""Bug: the generator step asks D to call its images fake (target 0), so G runs away from the data."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_step_applies_one_sgd_update_of_the_non_saturating_loss_to_the_generator_only", "test_training_moves_generated_images_toward_the_data")


def generator_step(generator, discriminator, g_optimizer, captions, z):
    with tf.GradientTape() as tape:
        loss = _bce(discriminator([generator([z, captions], training=True), captions], training=True), 0.0)  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return loss
