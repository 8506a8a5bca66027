"""Bug: train_step must return the vae_loss dict computed before the update; this answer re-evaluates the losses after applying the gradients and returns those."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_returns_the_vae_loss_before_the_update",)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
        losses = vae_loss(images, reconstructions, mu, logvar, beta)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    mu, logvar = encoder([images, captions], training=True)
    reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
    return vae_loss(images, reconstructions, mu, logvar, beta)  # noqa: F821

