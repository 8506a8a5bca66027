"""Bug: timestep_embedding uses frequencies 10000 ** (-k / dim) instead of 10000 ** (-k / half), so the lowest frequency is far too high."""

import math

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_timestep_embedding_is_sines_then_cosines",)


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    half = dim // 2
    frequencies = ops.exp(-math.log(10000.0) * ops.arange(half, dtype="float32") / dim)
    angles = ops.cast(ops.reshape(t, (-1, 1)), "float32") * ops.reshape(frequencies, (1, half))
    return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)
