"""Bug: the gradient penalty is added to the generator's loss (at its own samples) instead of the discriminator's."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_step_adds_the_weighted_gradient_penalty",
    "test_generator_step_applies_one_update_of_the_non_saturating_loss",
)


def discriminator_step(generator, discriminator, d_optimizer, real_images, z, real_smoothing=0.0, noise_std=0.0, gp_weight=0.0):
    fake_images = generator(z, training=True)
    with tf.GradientTape() as tape:
        real_logits = discriminator(add_instance_noise(real_images, noise_std), training=True)  # noqa: F821
        fake_logits = discriminator(add_instance_noise(fake_images, noise_std), training=True)  # noqa: F821
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    gp = gradient_penalty(discriminator, real_images, fake_images)  # noqa: F821 - reported, but not in D's loss
    correct = tf.concat([tf.cast(real_logits > 0, tf.float32), tf.cast(fake_logits < 0, tf.float32)], axis=0)
    return {"loss": loss, "gp": gp, "accuracy": tf.reduce_mean(correct)}


def generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0, gp_weight=10.0):
    with tf.GradientTape() as tape:
        fake = generator(z, training=True)
        loss = tf.reduce_mean(_bce(discriminator(add_instance_noise(fake, noise_std), training=True), 1.0))  # noqa: F821
        loss = loss + gp_weight * gradient_penalty(discriminator, fake, fake)  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return loss
