"""Bug: ddpm_step adds noise with variance beta_t instead of the posterior variance beta_t (1 - a_prev) / (1 - a_t), so it even adds noise at t = 0."""

import math

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_ddpm_step_matches_the_posterior_in_values_and_gradients",)


def ddpm_step(noisy, epsilon, t: int, alphas_cumprod, noise):
    """Ancestral DDPM step from t to t - 1: the posterior mean plus its noise."""
    noisy, epsilon, noise = ops.cast(noisy, "float32"), ops.cast(epsilon, "float32"), ops.cast(noise, "float32")
    a_t = float(alphas_cumprod[t])
    a_prev = 1.0 if t < 1 else float(alphas_cumprod[t - 1])
    beta = 1.0 - a_t / a_prev
    mean = (noisy - beta / math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(1.0 - beta)
    return mean + math.sqrt(beta) * noise
