"""Bug: cosine_betas divides f(t + 1) by f(0) instead of f(t), which gives 1 - alphas_cumprod rather than the per-step betas."""

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
    return np.minimum(1.0 - f[1:] / f[0], max_beta)
