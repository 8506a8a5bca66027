"""Bug: drop_captions draws once per call and nulls either every caption of the batch or none, instead of deciding row by row."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_drop_captions_draws_from_the_given_rng_afresh_each_call",
    "test_drop_captions_replaces_each_row_with_probability_p",
)


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    captions = np.array(captions, copy=True)
    if rng.random() < p_uncond:
        captions[:] = NULL_CAPTION  # noqa: F821
    return captions
