"""Bug: alphas_cumprod multiplies up the betas themselves instead of 1 - beta."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_alphas_cumprod_is_the_running_product_of_one_minus_beta",)


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    return np.cumprod(np.asarray(betas, dtype=np.float64))
