"""Bug: the image encoder must have no normalisation inside the model; this answer ends it with UnitNormalization, so
its outputs all have norm 1."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_encoders_do_not_normalise_their_outputs",)


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Dense(64, activation="relu")(layers.Flatten()(x))
    x = layers.Dense(embed_dim)(x)
    return keras.Model(images, layers.UnitNormalization()(x), name="image_encoder")
