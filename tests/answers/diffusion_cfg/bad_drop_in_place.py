"""Bug: drop_captions writes the null caption into the caller's array instead of a copy, so the dataset's captions are overwritten."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_drop_captions_draws_from_the_given_rng_afresh_each_call",
    "test_drop_captions_replaces_each_row_with_probability_p",
    "test_train_step_applies_one_sgd_update_of_the_denoising_loss_at_the_drawn_inputs",
)


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    captions = np.asarray(captions)
    dropped = rng.random(len(captions)) < p_uncond
    captions[dropped] = NULL_CAPTION  # noqa: F821
    return captions
