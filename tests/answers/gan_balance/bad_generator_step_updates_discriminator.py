"""Bug: generator_step updates G only; this answer applies g_optimizer to the discriminator's variables too."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_generator_step_applies_one_update_of_the_non_saturating_loss",)


def generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0):
    """One G update with the non-saturating loss (that also moves D)."""
    variables = generator.trainable_variables + discriminator.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        fake_logits = discriminator(add_instance_noise(generator(z, training=True), noise_std), training=True)  # noqa: F821
        loss = tf.reduce_mean(_bce(fake_logits, 1.0))  # noqa: F821
    grads = tape.gradient(loss, variables)
    g_optimizer.apply_gradients(zip(grads, variables))
    return loss
