"""Bug: the generator is an MLP that ends in Dense(784, tanh) and is never reshaped to (28, 28, 1), so its flat
outputs cannot be fed to the discriminator."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_networks_have_the_right_shapes", "test_train_runs_on_the_answers_own_networks")


def build_generator(noise_dim=NOISE_DIM):  # noqa: F821
    z = keras.Input(shape=(noise_dim,))
    x = layers.Dense(256, activation="relu")(z)
    return keras.Model(z, layers.Dense(28 * 28, activation="tanh")(x))
