"""Bug: timestep_embedding puts the cosines before the sines."""

import math

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_timestep_embedding_is_sines_then_cosines",)


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    half = dim // 2
    frequencies = ops.exp(-math.log(10000.0) * ops.arange(half, dtype="float32") / half)
    angles = ops.cast(ops.reshape(t, (-1, 1)), "float32") * ops.reshape(frequencies, (1, half))
    return ops.concatenate([ops.cos(angles), ops.sin(angles)], axis=-1)
