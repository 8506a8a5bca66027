"""Bug: tokens are ids in [0, vocab_size); this answer sizes the embedding table vocab_size - 1 ("the pad id does not need a row"), so the largest token id is out of range."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_captioner_reads_every_id_of_its_vocabulary", "test_captioner_returns_logits_for_every_position")


def build_captioner(vocab_size: int, hidden: int = HIDDEN) -> keras.Model:
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    features = build_image_encoder(hidden)(images)
    h0 = layers.Dense(hidden, activation="tanh")(features)
    c0 = layers.Dense(hidden)(features)
    embedded = layers.Embedding(vocab_size - 1, EMBED)(tokens)
    states = layers.LSTM(hidden, return_sequences=True)(embedded, initial_state=[h0, c0])
    return keras.Model([images, tokens], layers.Dense(vocab_size)(states), name="captioner")
