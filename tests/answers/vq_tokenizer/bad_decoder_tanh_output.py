"""Bug: the decoder ends in tanh, so its images lie in [-1, 1] instead of [0, 1]."""

from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_encoder_and_decoder_have_the_contract_shapes",)


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:  # noqa: F821
    codes = keras.Input(shape=(7, 7, code_dim))  # noqa: F821
    x = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(codes)  # noqa: F821
    x = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(x)  # noqa: F821
    return keras.Model(codes, layers.Conv2D(1, 3, padding="same", activation="tanh")(x), name="decoder")  # noqa: F821
