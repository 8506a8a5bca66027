"""Bug: accuracy counts real logits > 0 and fake logits < 0; this answer uses >= 0 and <= 0, so a logit of exactly 0 (e.g. a zero-initialised critic) counts as right for both."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_discriminator_step_counts_the_logits_on_the_right_side_of_zero",)


@tf.function  # noqa: F821
def _discriminator_update(generator, discriminator, d_optimizer, real_images, z, real_smoothing, noise_std, gp_weight):
    fake_images = generator(z, training=True)
    with tf.GradientTape() as tape:  # noqa: F821
        real_logits = discriminator(add_instance_noise(real_images, noise_std), training=True)  # noqa: F821
        fake_logits = discriminator(add_instance_noise(fake_images, noise_std), training=True)  # noqa: F821
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
        gp = gradient_penalty(discriminator, real_images, fake_images) if gp_weight > 0 else tf.constant(0.0)  # noqa: F821
        loss = loss + gp_weight * gp
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    correct = tf.concat([tf.cast(real_logits >= 0, tf.float32), tf.cast(fake_logits <= 0, tf.float32)], axis=0)  # noqa: F821
    return {'loss': loss, 'gp': gp, 'accuracy': tf.reduce_mean(correct)}  # noqa: F821
