"""Bug: the text encoder averages the token embeddings into one sentence vector (the seed's habit of
squeezing the sentence), so there are no per-token features to turn into one frame each."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_text_encoder_returns_features_per_token", "test_text_to_audio_returns_waveforms_in_range")


def build_text_encoder(vocab_size, dim=TEXT_DIM):  # noqa: F821
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.GlobalAveragePooling1D()(layers.Embedding(vocab_size, dim)(tokens))
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(x))
