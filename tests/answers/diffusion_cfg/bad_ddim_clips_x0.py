"""Bug: ddim_step always clips the predicted x0_hat to [-1, 1], also when clip_denoised is False."""

import math

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_ddim_step_matches_the_contract_in_values_and_gradients",)


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    noisy, epsilon = ops.cast(noisy, "float32"), ops.cast(epsilon, "float32")
    a_t = float(alphas_cumprod[t])
    a_prev = 1.0 if t_prev < 0 else float(alphas_cumprod[t_prev])
    x0_hat = ops.clip((noisy - math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(a_t), -1.0, 1.0)
    return math.sqrt(a_prev) * x0_hat + math.sqrt(1.0 - a_prev) * epsilon
