"""Bug: with spectral_norm=True EVERY weight matrix is spectrally normalised; this answer wraps the two convolutions but leaves the final Dense layer raw, so the logit can still grow with its weights."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_spectral_norm_bounds_the_discriminator_gradient",)


def build_discriminator(spectral_norm: bool = False) -> keras.Model:  # noqa: F821
    """images -> logits (batch, 1); the convolutions optionally spectrally normalised."""
    wrap = layers.SpectralNormalization if spectral_norm else (lambda layer: layer)  # noqa: F821
    images = keras.Input(shape=(28, 28, 1))  # noqa: F821
    x = wrap(layers.Conv2D(16, 4, strides=2, padding="same"))(images)  # noqa: F821
    x = layers.LeakyReLU(0.2)(x)  # noqa: F821
    x = wrap(layers.Conv2D(32, 4, strides=2, padding="same"))(x)  # noqa: F821
    x = layers.LeakyReLU(0.2)(x)  # noqa: F821
    logits = layers.Dense(1)(layers.Flatten()(x))  # noqa: F821
    return keras.Model(images, logits, name="discriminator")  # noqa: F821
