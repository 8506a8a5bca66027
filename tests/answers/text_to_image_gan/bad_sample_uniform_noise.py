"""Bug: sample draws z from a standard normal with the given seed; this one draws seeded uniform noise in [-1, 1]."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_sample_noise_is_standard_normal",)


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    captions = np.asarray(captions, dtype=np.int32)
    z = np.random.default_rng(seed).uniform(-1.0, 1.0, (len(captions), generator.inputs[0].shape[-1])).astype(np.float32)
    return np.asarray(generator([z, captions], training=False))
