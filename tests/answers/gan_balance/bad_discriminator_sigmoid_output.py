"""Bug: the discriminator returns logits (no sigmoid); this answer ends in Dense(1, activation="sigmoid"), so its outputs are probabilities that the BCE-from-logits loss misreads."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_discriminator_returns_unbounded_logits",)


def build_discriminator(spectral_norm: bool = False) -> keras.Model:  # noqa: F821
    """images -> probabilities (batch, 1)."""
    wrap = layers.SpectralNormalization if spectral_norm else (lambda layer: layer)  # noqa: F821
    images = keras.Input(shape=(28, 28, 1))  # noqa: F821
    x = wrap(layers.Conv2D(16, 4, strides=2, padding="same"))(images)  # noqa: F821
    x = layers.LeakyReLU(0.2)(x)  # noqa: F821
    x = wrap(layers.Conv2D(32, 4, strides=2, padding="same"))(x)  # noqa: F821
    x = layers.LeakyReLU(0.2)(x)  # noqa: F821
    logits = wrap(layers.Dense(1, activation="sigmoid"))(layers.Flatten()(x))  # noqa: F821
    return keras.Model(images, logits, name="discriminator")  # noqa: F821
