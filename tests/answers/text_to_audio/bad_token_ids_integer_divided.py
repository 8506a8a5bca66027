"""Bug: the encoder feeds the token ids to a Dense layer as one number, "normalised" with integer
division by the vocabulary size: every id // vocab_size is 0, so the text never reaches the audio."""

import keras
from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_text_to_audio_depends_on_the_tokens",)


def build_text_encoder(vocab_size, dim=TEXT_DIM):  # noqa: F821
    tokens = keras.Input(shape=(None,), dtype="int32")
    scaled = ops.expand_dims(ops.cast(tokens // vocab_size, "float32"), -1)
    x = layers.Dense(dim, activation="relu")(scaled)
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(x))
