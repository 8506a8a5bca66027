"""Bug: "loss" is the loss of the update (before it is applied); this answer re-scores the same noisy batch after the optimizer step and reports that loss."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_step_applies_one_update_of_the_smoothed_loss",
    "test_discriminator_step_adds_the_weighted_gradient_penalty",
)


@tf.function  # noqa: F821
def _discriminator_update(generator, discriminator, d_optimizer, real_images, z, real_smoothing, noise_std, gp_weight):
    fake_images = generator(z, training=True)
    noisy_real = add_instance_noise(real_images, noise_std)  # noqa: F821
    noisy_fake = add_instance_noise(fake_images, noise_std)  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        real_logits = discriminator(noisy_real, training=True)
        fake_logits = discriminator(noisy_fake, training=True)
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
        gp = gradient_penalty(discriminator, real_images, fake_images) if gp_weight > 0 else tf.constant(0.0)  # noqa: F821
        loss = loss + gp_weight * gp
    grads = tape.gradient(loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(grads, discriminator.trainable_variables))
    correct = tf.concat([tf.cast(real_logits > 0, tf.float32), tf.cast(fake_logits < 0, tf.float32)], axis=0)  # noqa: F821
    after = discriminator_loss(discriminator(noisy_real, training=True), discriminator(noisy_fake, training=True), real_smoothing) + gp_weight * gp  # noqa: F821
    return {'loss': after, 'gp': gp, 'accuracy': tf.reduce_mean(correct)}  # noqa: F821
