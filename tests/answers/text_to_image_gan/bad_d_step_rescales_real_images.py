"""Bug: real images arrive in [-1, 1]; this discriminator_step assumes [0, 1] and maps them with 2x - 1, so D sees real images in [-3, 1]."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    fake_images = generator([z, captions], training=True)
    real_images = real_images * 2.0 - 1.0  # match the generator's tanh range
    with tf.GradientTape() as tape:
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fake_images, captions], training=True)
        loss = _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, 0.0)  # noqa: F821
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    return loss
