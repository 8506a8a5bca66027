"""Bug: the generator loss is BCE(D(noisy G(z)), 1) with instance noise of noise_std; this answer feeds the clean G(z) to D in the generator step."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_generator_step_adds_instance_noise",)


@tf.function  # noqa: F821
def _generator_update(generator, discriminator, g_optimizer, z, noise_std):
    with tf.GradientTape() as tape:  # noqa: F821
        fake_logits = discriminator(generator(z, training=True), training=True)
        loss = tf.reduce_mean(_bce(fake_logits, 1.0))  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return loss
