"""Bug: generated images must lie in [-1, 1]; this answer's last layer has no tanh, so outputs are unbounded."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_generator_images_stay_in_range_whatever_the_weights",)


def build_generator(noise_dim: int = NOISE_DIM) -> keras.Model:  # noqa: F821
    """z (batch, noise_dim) -> images (batch, 28, 28, 1), linear output."""
    z = keras.Input(shape=(noise_dim,))  # noqa: F821
    x = layers.Dense(7 * 7 * 16, activation="relu")(z)  # noqa: F821
    x = layers.Reshape((7, 7, 16))(x)  # noqa: F821
    x = layers.Conv2DTranspose(16, 4, strides=2, padding="same", activation="relu")(x)  # noqa: F821
    images = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)  # noqa: F821
    return keras.Model(z, images, name="generator")  # noqa: F821
