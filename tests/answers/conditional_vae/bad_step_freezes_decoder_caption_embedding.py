"""Bug: train_step must update the encoder and the decoder; this answer leaves the decoder caption-embedding table out of the updated variables (it only trains the encoder and the rest of the decoder)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_negative_elbo",)


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    decoder_vars = [v for v in decoder.trainable_variables if "embedding" not in v.path]
    variables = encoder.trainable_variables + decoder_vars
    with tf.GradientTape() as tape:  # noqa: F821
        mu, logvar = encoder([images, captions], training=True)
        reconstructions = decoder([reparameterize(mu, logvar), captions], training=True)  # noqa: F821
        losses = vae_loss(images, reconstructions, mu, logvar, beta)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    return losses

