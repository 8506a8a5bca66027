"""Bug: the image encoder has no Flatten (or pooling) before its Dense layer, so it returns a feature
map (batch, 7, 7, dim) instead of one vector per image."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_image_encoder_returns_one_vector_per_image", "test_captioner_returns_logits_for_every_position")


def build_image_encoder(dim=64):
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    return keras.Model(images, layers.Dense(dim, activation="tanh")(x))
