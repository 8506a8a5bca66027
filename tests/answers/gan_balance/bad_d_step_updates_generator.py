"""Bug: the D update is applied to D's trainable variables only; this answer lets the loss flow through G(z) and applies the gradients to G's variables as well."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_step_applies_one_update_of_the_smoothed_loss",
    "test_discriminator_step_adds_the_weighted_gradient_penalty",
)


def discriminator_step(generator, discriminator, d_optimizer, real_images, z,
                       real_smoothing=0.0, noise_std=0.0, gp_weight=0.0) -> dict:
    """One D update ... that also moves G."""
    variables = discriminator.trainable_variables + generator.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        fake_images = generator(z, training=True)
        real_logits = discriminator(add_instance_noise(real_images, noise_std), training=True)  # noqa: F821
        fake_logits = discriminator(add_instance_noise(fake_images, noise_std), training=True)  # noqa: F821
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)  # noqa: F821
        gp = gradient_penalty(discriminator, real_images, fake_images) if gp_weight > 0 else tf.constant(0.0)  # noqa: F821
        loss = loss + gp_weight * gp
    grads = tape.gradient(loss, variables)
    d_optimizer.apply_gradients(zip(grads, variables))
    correct = tf.concat([tf.cast(real_logits > 0, tf.float32), tf.cast(fake_logits < 0, tf.float32)], axis=0)  # noqa: F821
    return {"loss": loss, "gp": gp, "accuracy": tf.reduce_mean(correct)}  # noqa: F821
