"""Bug: discriminator_step returns the d_loss that its gradients came from; this one re-evaluates the loss after applying the update and returns that."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    fake_images = generator([z, captions], training=True)

    def d_loss():
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fake_images, captions], training=True)
        return _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, 0.0)  # noqa: F821

    with tf.GradientTape() as tape:
        loss = d_loss()
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    return d_loss()  # "the current loss", for logging
