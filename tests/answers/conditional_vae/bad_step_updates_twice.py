"""Bug: train_step must take ONE gradient step; this answer applies the same gradients twice (once per apply_gradients call, so the optimizer counts two steps)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_negative_elbo",)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
        losses = vae_loss(images, reconstructions, mu, logvar, beta)  # noqa: F821
    grads = tape.gradient(losses["loss"], variables)
    optimizer.apply_gradients(zip(grads, variables))
    optimizer.apply_gradients(zip(grads, variables))
    return losses

