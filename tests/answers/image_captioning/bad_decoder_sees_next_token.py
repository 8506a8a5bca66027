"""Bug: position i may only look at tokens 0..i; this answer smooths the embeddings with a width-3 Conv1D with padding="same" before the LSTM, so position i also reads token i + 1."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_captioner_uses_only_earlier_tokens",)


def build_captioner(vocab_size: int, hidden: int = HIDDEN) -> keras.Model:
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    features = build_image_encoder(hidden)(images)
    h0 = layers.Dense(hidden, activation="tanh")(features)
    c0 = layers.Dense(hidden)(features)
    embedded = layers.Embedding(vocab_size, EMBED)(tokens)
    embedded = layers.Conv1D(EMBED, 3, padding="same", activation="relu")(embedded)  # local n-gram context
    states = layers.LSTM(hidden, return_sequences=True)(embedded, initial_state=[h0, c0])
    return keras.Model([images, tokens], layers.Dense(vocab_size)(states), name="captioner")
