"""Bug: the discriminator judges the image alone, so it cannot punish images that do not match their caption."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_depends_on_the_caption",)


def build_discriminator(vocab_size):
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Conv2D(16, 4, strides=2, padding="same", activation="relu")(images)
    x = layers.Flatten()(x)
    return keras.Model([images, tokens], layers.Dense(1)(x))
