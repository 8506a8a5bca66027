"""Bug: build_generator(noise_dim) takes z of shape (batch, noise_dim); this answer always builds its input for NOISE_DIM = 16."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_networks_have_the_right_shapes",)


def build_generator(noise_dim: int = NOISE_DIM) -> keras.Model:  # noqa: F821
    """z (batch, 16) -> images (batch, 28, 28, 1) in [-1, 1]."""
    z = keras.Input(shape=(NOISE_DIM,))  # noqa: F821
    x = layers.Dense(7 * 7 * 16, activation="relu")(z)  # noqa: F821
    x = layers.Reshape((7, 7, 16))(x)  # noqa: F821
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)  # noqa: F821
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x)  # noqa: F821
    return keras.Model(z, images, name="generator")  # noqa: F821
