"""Bug: discriminator_step applies gradients to all of the discriminator's trainable variables; this one leaves out its caption encoder's variables (treated as frozen), so D's text path never learns."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    fake_images = generator([z, captions], training=True)
    text_ids = {id(v) for v in discriminator.get_layer("text_encoder").trainable_variables}
    variables = [v for v in discriminator.trainable_variables if id(v) not in text_ids]
    with tf.GradientTape() as tape:
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fake_images, captions], training=True)
        loss = _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, 0.0)  # noqa: F821
    grads = tape.gradient(loss, variables)
    d_optimizer.apply_gradients(zip(grads, variables))
    return loss
