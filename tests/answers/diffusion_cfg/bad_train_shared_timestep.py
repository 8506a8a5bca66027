"""Bug: train_step draws a single timestep and uses it for every example of the batch instead of one per example."""

import numpy as np
import tensorflow as tf
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_train_step_draws_timesteps_uniformly_per_example",)


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):  # noqa: F821
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    x0 = ops.convert_to_tensor(x0, dtype="float32")
    t = np.full(x0.shape[0], rng.integers(0, len(alphas_cumprod)))
    noise = rng.standard_normal(tuple(x0.shape)).astype(np.float32)
    kept = drop_captions(np.asarray(captions), p_uncond, rng)  # noqa: F821
    with tf.GradientTape() as tape:
        loss = denoising_loss(model, x0, kept, ops.convert_to_tensor(t, "int32"), ops.convert_to_tensor(noise),  # noqa: F821
                              alphas_cumprod, training=True)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss
