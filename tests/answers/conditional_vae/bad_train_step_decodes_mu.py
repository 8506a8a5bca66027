"""Bug: train_step must encode, reparameterize, then decode; this answer decodes the mean mu directly (no sampling), so logvar is trained by the KL term alone and the model is not a VAE."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_decodes_a_sample_from_the_posterior",)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    variables = encoder.trainable_variables + decoder.trainable_variables
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([mu, captions], training=True)
        losses = vae_loss(images, reconstructions, mu, logvar, beta)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    return losses

