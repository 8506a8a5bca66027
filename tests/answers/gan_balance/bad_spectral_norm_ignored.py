"""Bug: build_discriminator accepts spectral_norm but never wraps any layer, so nothing bounds D."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_spectral_norm_bounds_the_discriminator_gradient",)


def build_discriminator(spectral_norm=False):
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 4, strides=2, padding="same")(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Conv2D(32, 4, strides=2, padding="same")(x)
    x = layers.LeakyReLU(0.2)(x)
    return keras.Model(images, layers.Dense(1)(layers.Flatten()(x)))
