"""Bug: a bidirectional decoder; each position also reads the later tokens, so in training it sees
the answer, and at generation time those tokens do not exist yet."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_captioner_uses_only_earlier_tokens",)


def build_captioner(vocab_size, hidden=64):
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    features = build_image_encoder(hidden)(images)  # noqa: F821
    state = [layers.Dense(hidden, activation="tanh")(features), layers.Dense(hidden)(features)]
    embedded = layers.Embedding(vocab_size, 32)(tokens)
    states = layers.Bidirectional(layers.LSTM(hidden // 2, return_sequences=True))(embedded, initial_state=[s[:, : hidden // 2] for s in state] * 2)
    return keras.Model([images, tokens], layers.Dense(vocab_size)(states))
