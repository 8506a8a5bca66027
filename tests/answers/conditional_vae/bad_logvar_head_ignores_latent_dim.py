"""Bug: the encoder's logvar head is sized by the module's LATENT_DIM, not the latent_dim it is given, so with any
other size mu and logvar disagree."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_encoder_returns_mean_and_logvar",)


def build_encoder(vocab_size, latent_dim=LATENT_DIM):  # noqa: F821
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Conv2D(16, 4, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(x)
    x = layers.Concatenate()([layers.Flatten()(x), _text_encoder(vocab_size)(tokens)])  # noqa: F821
    x = layers.Dense(64, activation="relu")(x)
    return keras.Model([images, tokens], [layers.Dense(latent_dim)(x), layers.Dense(LATENT_DIM)(x)])  # noqa: F821
