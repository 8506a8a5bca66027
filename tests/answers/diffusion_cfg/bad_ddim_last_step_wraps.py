"""Bug: ddim_step looks up alphas_cumprod[t_prev] even for t_prev = -1, so the last step re-noises to the end of the schedule instead of returning x0_hat."""

import math

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_ddim_step_matches_the_contract_in_values_and_gradients",
    "test_ddim_step_with_the_true_noise_lands_on_the_forward_process",
    "test_sample_clips_the_denoised_image_at_every_step",
    "test_sample_with_an_oracle_denoiser_returns_the_guided_target",
)


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    noisy, epsilon = ops.cast(noisy, "float32"), ops.cast(epsilon, "float32")
    a_t, a_prev = float(alphas_cumprod[t]), float(alphas_cumprod[t_prev])
    x0_hat = (noisy - math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(a_t)
    if clip_denoised:
        x0_hat = ops.clip(x0_hat, -1.0, 1.0)
    return math.sqrt(a_prev) * x0_hat + math.sqrt(1.0 - a_prev) * epsilon
