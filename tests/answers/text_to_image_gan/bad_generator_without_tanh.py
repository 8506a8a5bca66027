"""Bug: the generator's last layer is linear, so its images are not confined to [-1, 1] like the data."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_generator_returns_images_in_range",)


def build_generator(vocab_size, noise_dim=16):
    z = keras.Input(shape=(noise_dim,))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Concatenate()([z, build_text_encoder(vocab_size)(tokens)])  # noqa: F821
    x = layers.Dense(7 * 7 * 16, activation="relu")(x)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)
    return keras.Model([z, tokens], images)
