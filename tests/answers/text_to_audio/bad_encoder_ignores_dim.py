"""Bug: build_text_encoder(vocab_size, dim) outputs (batch, t, dim); this one always outputs TEXT_DIM features, ignoring a non-default dim."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_text_encoder_returns_features_per_token",)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    tokens = keras.Input(shape=(None,), dtype="int32")  # noqa: F821
    x = layers.Embedding(vocab_size, TEXT_DIM)(tokens)  # noqa: F821
    return keras.Model(tokens, layers.Dense(TEXT_DIM, activation="relu")(x), name="text_encoder")  # noqa: F821
