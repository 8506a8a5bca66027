"""Bug: the generator loss is the non-saturating mean BCE(D(G(z)), 1); this answer minimises the saturating -mean BCE(D(G(z)), 0) = mean log(1 - sigmoid(D(G(z))))."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_generator_step_applies_one_update_of_the_non_saturating_loss",
    "test_generator_step_adds_instance_noise",
)


@tf.function  # noqa: F821
def _generator_update(generator, discriminator, g_optimizer, z, noise_std):
    with tf.GradientTape() as tape:  # noqa: F821
        fake_logits = discriminator(add_instance_noise(generator(z, training=True), noise_std), training=True)  # noqa: F821
        loss = -tf.reduce_mean(_bce(fake_logits, 0.0))  # noqa: F821
    grads = tape.gradient(loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(grads, generator.trainable_variables))
    return loss
