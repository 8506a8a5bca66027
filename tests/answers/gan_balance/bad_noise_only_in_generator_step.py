"""Bug: instance noise is added only in the generator step; the discriminator step accepts noise_std but scores the
clean real and generated images, so D still sees two separable distributions."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_discriminator_step_adds_instance_noise_to_real_and_fake",)


@tf.function
def _discriminator_update(generator, discriminator, d_optimizer, real_images, z, real_smoothing, noise_std, gp_weight):
    fake_images = generator(z, training=True)
    with tf.GradientTape() as tape:
        real_logits = discriminator(real_images, training=True)
        fake_logits = discriminator(fake_images, training=True)
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
        gp = gradient_penalty(discriminator, real_images, fake_images) if gp_weight > 0 else tf.constant(0.0)  # noqa: F821
        loss = loss + gp_weight * gp
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    correct = tf.concat([tf.cast(real_logits > 0, tf.float32), tf.cast(fake_logits < 0, tf.float32)], axis=0)
    return {"loss": loss, "gp": gp, "accuracy": tf.reduce_mean(correct)}
