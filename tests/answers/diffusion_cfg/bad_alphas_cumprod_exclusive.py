"""Bug: alphas_cumprod is the exclusive product (starting at 1 and leaving out 1 - betas[t]), i.e. it returns alphas_cumprod_prev."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_alphas_cumprod_is_the_running_product_of_one_minus_beta",)


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    alphas = 1.0 - np.asarray(betas, dtype=np.float64)
    return np.concatenate([[1.0], np.cumprod(alphas)[:-1]])
