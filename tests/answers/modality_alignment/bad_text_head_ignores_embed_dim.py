"""Bug: the text encoder's projection head uses the module's EMBED_DIM, not the embed_dim it is given, so with any
other size the two encoders land in spaces of different dimension."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_encoders_map_into_the_same_space",)


def build_text_encoder(vocab_size, embed_dim=EMBED_DIM):  # noqa: F821
    tokens = keras.Input(shape=(6,), dtype="int32")
    x = layers.Flatten()(layers.Embedding(vocab_size, 16)(tokens))
    x = layers.Dense(64, activation="relu")(x)
    return keras.Model(tokens, layers.Dense(EMBED_DIM)(x))  # noqa: F821
