"""Bug: D loss = mean BCE(D(real, c), 1 - s) + mean BCE(D(G(z, c), c), 0); this one adds a third matching-aware term, mean BCE(D(real, shuffled c), 0)."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    fake_images = generator([z, captions], training=True)
    wrong_captions = tf.roll(captions, shift=1, axis=0)
    with tf.GradientTape() as tape:
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fake_images, captions], training=True)
        wrong_logits = discriminator([real_images, wrong_captions], training=True)
        loss = _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, 0.0) + _bce(wrong_logits, 0.0)  # noqa: F821
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    return loss
