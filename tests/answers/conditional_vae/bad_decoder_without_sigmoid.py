"""Bug: the decoder's last layer is linear, so its "images" are unbounded instead of pixel probabilities in [0, 1]."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_decoder_returns_images_in_unit_range",
    "test_reconstruct_decodes_the_posterior_mean",
    "test_sample_is_seeded_and_in_range",
)


def build_decoder(vocab_size, latent_dim=LATENT_DIM):  # noqa: F821
    z = keras.Input(shape=(latent_dim,))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Concatenate()([z, _text_encoder(vocab_size)(tokens)])  # noqa: F821
    x = layers.Reshape((7, 7, 16))(layers.Dense(7 * 7 * 16, activation="relu")(x))
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)
    return keras.Model([z, tokens], layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x))
