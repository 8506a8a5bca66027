"""Bug: the text encoder keeps only the first position's embedding, which is always <start>."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_text_encoder_tells_captions_apart",)


def build_text_encoder(vocab_size, dim=32):
    tokens = keras.Input(shape=(None,), dtype="int32")
    first = layers.Embedding(vocab_size, dim)(tokens)[:, 0]
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(first))
