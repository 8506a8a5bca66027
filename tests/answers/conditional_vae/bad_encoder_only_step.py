"""Bug: the training step differentiates only with respect to the encoder, so the decoder never learns."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_negative_elbo", "test_training_improves_the_elbo_on_a_tiny_batch")


def train_step(encoder, decoder, optimizer, images, captions, beta=1.0):
    variables = encoder.trainable_variables
    with tf.GradientTape() as tape:
        mu, logvar = encoder([images, captions], training=True)
        losses = vae_loss(images, decoder([reparameterize(mu, logvar), captions], training=True), mu, logvar, beta)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(losses["loss"], variables), variables))
    return losses
