"""Bug: "gp" must be the penalty itself; this answer reports gp_weight * penalty (the term added to the loss)."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_discriminator_step_adds_the_weighted_gradient_penalty",)


@tf.function  # noqa: F821
def _discriminator_update(generator, discriminator, d_optimizer, real_images, z, real_smoothing, noise_std, gp_weight):
    fake_images = generator(z, training=True)
    with tf.GradientTape() as tape:  # noqa: F821
        real_logits = discriminator(add_instance_noise(real_images, noise_std), training=True)  # noqa: F821
        fake_logits = discriminator(add_instance_noise(fake_images, noise_std), training=True)  # noqa: F821
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
        gp = gradient_penalty(discriminator, real_images, fake_images) if gp_weight > 0 else tf.constant(0.0)  # noqa: F821
        gp = gp_weight * gp
        loss = loss + gp
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    correct = tf.concat([tf.cast(real_logits > 0, tf.float32), tf.cast(fake_logits < 0, tf.float32)], axis=0)  # noqa: F821
    return {'loss': loss, 'gp': gp, 'accuracy': tf.reduce_mean(correct)}  # noqa: F821
