"""Bug: the discriminator step differentiates with respect to every variable and lets d_optimizer move G too."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    variables = discriminator.trainable_variables + generator.trainable_variables
    with tf.GradientTape() as tape:
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([generator([z, captions], training=True), captions], training=True)
        loss = _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, 0.0)  # noqa: F821
    d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
