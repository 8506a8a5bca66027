"""Bug: q_sample scales x0 by alphas_cumprod[t] and the noise by 1 - alphas_cumprod[t], without the square roots."""

import numpy as np
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_denoising_loss_is_the_mse_between_noise_and_prediction",
    "test_denoising_loss_passes_the_training_flag_on",
    "test_q_sample_gives_each_example_its_own_timestep",
    "test_q_sample_matches_the_contract_in_values_and_gradients",
    "test_train_step_applies_one_sgd_update_of_the_denoising_loss_at_the_drawn_inputs",
    "test_train_step_draws_standard_normal_noise",
)


def q_sample(x0, t, noise, alphas_cumprod):
    """Noise x0 to timestep t in one shot."""
    x0 = ops.cast(x0, "float32")
    noise = ops.cast(noise, "float32")
    a = ops.take(ops.convert_to_tensor(np.asarray(alphas_cumprod, np.float32)), ops.cast(t, "int32"))
    a = ops.reshape(a, (-1,) + (1,) * (len(x0.shape) - 1))
    return a * x0 + (1.0 - a) * noise
