"""Bug: the image encoder must end in a linear projection head; this answer's last Dense has a ReLU, so embeddings
cannot have negative coordinates."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_encoders_end_in_a_linear_projection_head",)


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)
    x = layers.Dense(64, activation="relu")(layers.Flatten()(x))
    return keras.Model(images, layers.Dense(embed_dim, activation="relu")(x), name="image_encoder")
