"""Bug: train_step never calls drop_captions, so the model never sees the null caption and cannot give the unconditional prediction that guidance needs."""

import numpy as np
import tensorflow as tf
from keras import ops
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_train_step_drops_captions_with_probability_p_uncond",)


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):  # noqa: F821
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    x0 = ops.convert_to_tensor(x0, dtype="float32")
    t = rng.integers(0, len(alphas_cumprod), size=x0.shape[0])
    noise = rng.standard_normal(tuple(x0.shape)).astype(np.float32)
    with tf.GradientTape() as tape:
        loss = denoising_loss(model, x0, np.asarray(captions), ops.convert_to_tensor(t, "int32"),  # noqa: F821
                              ops.convert_to_tensor(noise), alphas_cumprod, training=True)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss
