"""Bug: denoising_loss regresses the model's output onto the clean image x0 instead of the noise it is meant to predict."""

import numpy as np  # noqa: F401
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = (
    "test_denoising_loss_is_the_mse_between_noise_and_prediction",
    "test_denoising_loss_passes_the_training_flag_on",
    "test_train_step_applies_one_sgd_update_of_the_denoising_loss_at_the_drawn_inputs",
)


def denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training: bool = False):
    """Mean squared error between the noise and the model's prediction of it."""
    noisy = q_sample(x0, t, noise, alphas_cumprod)  # noqa: F821
    predicted = model([noisy, ops.cast(t, "int32"), ops.cast(captions, "int32")], training=training)
    return ops.mean(ops.square(ops.cast(x0, "float32") - predicted))
