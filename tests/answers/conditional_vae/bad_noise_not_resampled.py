"""Bug: eps comes from keras.random.normal with a fixed integer seed, so every call draws the same noise."""

import keras

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_draws_fresh_noise_each_call",)


def reparameterize(mu, logvar):
    return mu + keras.ops.exp(0.5 * logvar) * keras.random.normal(keras.ops.shape(mu), seed=42)
