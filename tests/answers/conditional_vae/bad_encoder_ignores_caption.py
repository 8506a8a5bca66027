"""Bug: the encoder takes the caption as an input but never uses it, so z has to carry what the caption already says."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_encoder_depends_on_the_caption",)


def build_encoder(vocab_size, latent_dim=LATENT_DIM):  # noqa: F821
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Conv2D(16, 4, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Dense(64, activation="relu")(layers.Flatten()(x))
    return keras.Model([images, tokens], [layers.Dense(latent_dim)(x), layers.Dense(latent_dim)(x)])
