"""Bug: the text encoder maps captions (batch, length) of any length to (batch, dim); this one flattens a fixed MAX_LEN-token input, so it fails on captions of another length."""

import keras
from keras import layers

from mmgen import toy_data
from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_text_encoder_maps_captions_of_any_length_to_vectors",)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    tokens = keras.Input(shape=(toy_data.MAX_LEN,), dtype="int32")
    embedded = layers.Embedding(vocab_size, dim)(tokens)
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(layers.Flatten()(embedded)), name="text_encoder")
