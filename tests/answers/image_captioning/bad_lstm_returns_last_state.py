"""Bug: the LSTM is built without return_sequences=True, so the captioner predicts one next token for
the whole prefix instead of logits at every position, and teacher forcing has nothing to compare."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_captioner_returns_logits_for_every_position",)


def build_captioner(vocab_size, hidden=64):
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    features = build_image_encoder(hidden)(images)  # noqa: F821
    h0, c0 = layers.Dense(hidden, activation="tanh")(features), layers.Dense(hidden)(features)
    state = layers.LSTM(hidden)(layers.Embedding(vocab_size, 32)(tokens), initial_state=[h0, c0])
    return keras.Model([images, tokens], layers.Dense(vocab_size)(state))
