"""Bug: cosine_betas never clips at max_beta, so the last beta is 1 and alphas_cumprod reaches exactly 0."""

import math

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_cosine_betas_follow_nichol_and_dhariwal",)


def cosine_betas(timesteps: int, offset: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The cosine schedule of Nichol and Dhariwal (2021)."""
    u = np.arange(timesteps + 1, dtype=np.float64)
    f = np.cos((u / timesteps + offset) / (1 + offset) * math.pi / 2) ** 2
    return 1.0 - f[1:] / f[:-1]
