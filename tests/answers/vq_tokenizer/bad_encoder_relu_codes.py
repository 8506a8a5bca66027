"""Bug: the encoder ends in a ReLU, so its codes can never be negative instead of being unbounded."""

from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_encoder_and_decoder_have_the_contract_shapes",)


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:  # noqa: F821
    images = keras.Input(shape=(28, 28, 1))  # noqa: F821
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(images)  # noqa: F821
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(x)  # noqa: F821
    return keras.Model(images, layers.Conv2D(code_dim, 1, activation="relu")(x), name="encoder")  # noqa: F821
