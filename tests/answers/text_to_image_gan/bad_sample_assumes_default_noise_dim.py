"""Bug: sample draws z of the generator's noise_dim; this one always draws NOISE_DIM columns, so it breaks for a generator built with another noise_dim."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_sample_works_for_a_generator_built_with_another_noise_dim",)


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    captions = np.asarray(captions, dtype=np.int32)
    z = np.random.default_rng(seed).standard_normal((len(captions), NOISE_DIM)).astype(np.float32)  # noqa: F821
    return np.asarray(generator([z, captions], training=False))
