"""Bug: the decoder draws from z alone, so sampling for a caption cannot follow the text."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_decoder_depends_on_the_caption",)


def build_decoder(vocab_size, latent_dim=8):
    z = keras.Input(shape=(latent_dim,))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Dense(7 * 7 * 16, activation="relu")(z)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="sigmoid")(x)
    return keras.Model([z, tokens], images)
