"""Bug: the generator step applies its gradients to the discriminator's weights as well."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_step_applies_one_sgd_update_of_the_non_saturating_loss_to_the_generator_only",)


def generator_step(generator, discriminator, g_optimizer, captions, z):
    variables = generator.trainable_variables + discriminator.trainable_variables
    with tf.GradientTape() as tape:
        loss = _bce(discriminator([generator([z, captions], training=True), captions], training=True), 1.0)  # noqa: F821
    g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
