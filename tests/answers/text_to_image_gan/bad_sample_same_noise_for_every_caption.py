"""Bug: sample draws z (batch, noise_dim) from a standard normal, one draw per example; this one draws a single noise vector and reuses it for every caption in the batch."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_sample_draws_a_fresh_noise_row_for_every_example",)


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    captions = np.asarray(captions, dtype=np.int32)
    z1 = np.random.default_rng(seed).standard_normal((1, generator.inputs[0].shape[-1])).astype(np.float32)
    z = np.repeat(z1, len(captions), axis=0)
    return np.asarray(generator([z, captions], training=False))
