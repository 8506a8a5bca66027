"""Bug: build_image_encoder(dim) maps images to (batch, dim); this answer always outputs HIDDEN features whatever dim is asked for."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_image_encoder_returns_one_vector_per_image",)


def build_image_encoder(dim: int = HIDDEN) -> keras.Model:
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Flatten()(x)
    return keras.Model(images, layers.Dense(HIDDEN, activation="tanh")(x), name="image_encoder")

