"""Bug: drop_captions treats p_uncond as the probability of keeping a caption, so it nulls about 1 - p_uncond of the rows."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_drop_captions_replaces_each_row_with_probability_p",
    "test_train_step_drops_captions_with_probability_p_uncond",
)


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    captions = np.array(captions, copy=True)
    dropped = rng.random(len(captions)) > p_uncond
    captions[dropped] = NULL_CAPTION  # noqa: F821
    return captions
