"""Bug: build_generator(vocab_size, noise_dim) takes z of shape (batch, noise_dim); this one always builds its z input with NOISE_DIM, ignoring the argument."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_takes_noise_of_the_size_it_was_built_with",)


def build_generator(vocab_size: int, noise_dim: int = NOISE_DIM) -> keras.Model:  # noqa: F821
    z = keras.Input(shape=(NOISE_DIM,))  # noqa: F821
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Concatenate()([z, build_text_encoder(vocab_size)(tokens)])  # noqa: F821
    x = layers.Dense(7 * 7 * 16, activation="relu")(x)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, tokens], images, name="generator")
