"""Bug: the G loss is the non-saturating mean BCE(D(G(z, c), c), 1); this one minimises the saturating -mean BCE(D(G(z, c), c), 0) = mean log(1 - D)."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_step_applies_one_sgd_update_of_the_non_saturating_loss_to_the_generator_only",)


def generator_step(generator, discriminator, g_optimizer, captions, z):
    with tf.GradientTape() as tape:
        fake_logits = discriminator([generator([z, captions], training=True), captions], training=True)
        loss = -_bce(fake_logits, 0.0)  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return loss
