"""Bug (the seed's): the image is encoded but never reaches the decoder, which starts from a zero
state, so every image gets the same caption."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_decoder_sees_the_image_from_the_first_step", "test_captioner_learns_the_training_captions")


def build_captioner(vocab_size, hidden=64):
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    build_image_encoder(hidden)(images)  # noqa: F821 - computed, then never used
    states = layers.LSTM(hidden, return_sequences=True)(layers.Embedding(vocab_size, 32)(tokens))
    return keras.Model([images, tokens], layers.Dense(vocab_size)(states))
