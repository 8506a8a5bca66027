"""Bug: like the seed's code, the generator draws from the noise alone; the caption input is never used."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_depends_on_the_caption",)


def build_generator(vocab_size, noise_dim=16):
    z = keras.Input(shape=(noise_dim,))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Dense(7 * 7 * 16, activation="relu")(z)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, tokens], images)
