"""Bug: generator_step makes one update of G; this one applies the generator gradients twice (two optimizer steps per call)."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_step_applies_one_sgd_update_of_the_non_saturating_loss_to_the_generator_only",)


def generator_step(generator, discriminator, g_optimizer, captions, z):
    with tf.GradientTape() as tape:
        fake_logits = discriminator([generator([z, captions], training=True), captions], training=True)
        loss = _bce(fake_logits, 1.0)  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))  # "G is weaker, give it 2 steps"
    return loss
