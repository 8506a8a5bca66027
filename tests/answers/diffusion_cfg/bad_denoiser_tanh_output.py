"""Bug: build_denoiser ends in a tanh, so the predicted noise is bounded to (-1, 1) although the true noise is standard normal."""

import keras
import numpy as np  # noqa: F401
from keras import layers, ops  # noqa: F401
from reference_copy import start_from_reference

from mmgen.toy_data import MAX_LEN, VOCAB_SIZE

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_denoiser_learns_to_use_the_caption",)


def build_denoiser(image_size: int = 28, vocab_size: int = VOCAB_SIZE, timesteps: int = TIMESTEPS) -> keras.Model:  # noqa: F821
    """A noise predictor conditioned on the caption and the timestep."""
    noisy = keras.Input(shape=(image_size, image_size, 1), name="noisy")
    t = keras.Input(shape=(), dtype="int32", name="t")
    captions = keras.Input(shape=(MAX_LEN,), dtype="int32", name="captions")
    text = layers.Flatten()(layers.Embedding(vocab_size, 16)(captions))
    time = layers.Dense(64, activation="silu")(_TimestepEmbedding(32)(t))  # noqa: F821
    x = layers.Concatenate()([layers.Flatten()(noisy), text, time])
    x = layers.Dense(256, activation="silu")(x)
    x = layers.Dense(256, activation="silu")(x)
    x = layers.Dense(image_size * image_size, activation="tanh")(x)
    return keras.Model([noisy, t, captions], layers.Reshape((image_size, image_size, 1))(x), name="denoiser")
