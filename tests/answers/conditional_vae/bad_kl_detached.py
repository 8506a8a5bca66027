"""Bug: train_step optimises loss = reconstruction + beta * kl; this answer computes the KL under stop_gradient in the step, so the reported numbers are right but the KL term never pulls the posterior towards the prior."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_negative_elbo",)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
        losses = vae_loss(images, reconstructions, tf.stop_gradient(mu), tf.stop_gradient(logvar), beta)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    return losses

