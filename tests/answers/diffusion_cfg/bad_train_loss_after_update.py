"""Bug: train_step recomputes the loss after the optimizer update and returns that one instead of the loss the gradients came from."""

import numpy as np
import tensorflow as tf
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_denoising_loss_at_the_drawn_inputs",)


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):  # noqa: F821
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    x0 = ops.convert_to_tensor(x0, dtype="float32")
    t = ops.convert_to_tensor(rng.integers(0, len(alphas_cumprod), size=x0.shape[0]), "int32")
    noise = ops.convert_to_tensor(rng.standard_normal(tuple(x0.shape)).astype(np.float32))
    kept = drop_captions(np.asarray(captions), p_uncond, rng)  # noqa: F821
    with tf.GradientTape() as tape:
        loss = denoising_loss(model, x0, kept, t, noise, alphas_cumprod, training=True)  # noqa: F821
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return denoising_loss(model, x0, kept, t, noise, alphas_cumprod, training=True)  # noqa: F821
