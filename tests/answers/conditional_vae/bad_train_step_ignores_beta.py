"""Bug: train_step must take one step on vae_loss with the given beta; this answer calls vae_loss without beta, so training and the returned dict always use beta = 1."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_train_step_applies_one_sgd_update_of_the_negative_elbo",
    "test_train_step_returns_the_vae_loss_before_the_update",
)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
        losses = vae_loss(images, reconstructions, mu, logvar)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    return losses

