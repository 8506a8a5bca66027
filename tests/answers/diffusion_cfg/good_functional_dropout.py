"""A sound alternative: a functional MLP with Dropout whose caption encoder averages token embeddings over non-padding positions, written with keras.ops, and a train_step whose gradients come from a @tf.function helper."""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from mmgen.toy_data import MAX_LEN, VOCAB_SIZE, encode

TIMESTEPS = 100
P_UNCOND = 0.2
GUIDANCE_WEIGHT = 2.0
NULL_CAPTION = encode(())


def linear_betas(timesteps: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """Betas rising linearly from start to end."""
    if timesteps == 1:
        return np.array([start], dtype=np.float64)
    step = (end - start) / (timesteps - 1)
    return start + step * np.arange(timesteps, dtype=np.float64)


def cosine_betas(timesteps: int, offset: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The cosine schedule of Nichol and Dhariwal (2021)."""

    def f(u):
        return math.cos((u / timesteps + offset) / (1.0 + offset) * math.pi / 2.0) ** 2

    return np.array([min(1.0 - f(t + 1) / f(t), max_beta) for t in range(timesteps)], dtype=np.float64)


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    betas = np.asarray(betas, dtype=np.float64)
    out = np.empty_like(betas)
    running = 1.0
    for i, beta in enumerate(betas.ravel()):
        running *= 1.0 - beta
        out.flat[i] = running
    return out


def q_sample(x0, t, noise, alphas_cumprod):
    """Noise x0 to timestep t in one shot."""
    x0 = ops.cast(x0, "float32")
    noise = ops.cast(noise, "float32")
    table = ops.cast(ops.convert_to_tensor(alphas_cumprod), "float32")
    a = ops.take(table, ops.cast(t, "int32"), axis=0)
    a = ops.reshape(a, (-1,) + (1,) * (len(x0.shape) - 1))
    return ops.sqrt(a) * x0 + ops.sqrt(1.0 - a) * noise


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    half = dim // 2
    freqs = ops.power(10000.0, -ops.arange(half, dtype="float32") / half)
    angles = ops.expand_dims(ops.cast(ops.reshape(t, (-1,)), "float32"), -1) * ops.expand_dims(freqs, 0)
    return ops.concatenate([ops.sin(angles), ops.cos(angles)], axis=-1)


def build_denoiser(image_size: int = 28, vocab_size: int = VOCAB_SIZE, timesteps: int = TIMESTEPS) -> keras.Model:
    """A noise predictor conditioned on the caption and the timestep."""
    noisy = keras.Input((image_size, image_size, 1), dtype="float32", name="noisy")
    t = keras.Input((), dtype="int32", name="t")
    captions = keras.Input((MAX_LEN,), dtype="int32", name="captions")

    # Caption: mean of the token embeddings over the non-padding positions.
    tokens = layers.Embedding(vocab_size, 64, name="token_embedding")(captions)
    keep = ops.expand_dims(ops.cast(ops.not_equal(captions, 0), "float32"), -1)
    caption = ops.sum(tokens * keep, axis=1) / ops.maximum(ops.sum(keep, axis=1), 1.0)
    caption = layers.Dense(128, activation="swish", name="caption_mlp")(caption)

    time = layers.Dense(128, activation="swish", name="time_mlp")(timestep_embedding(t, 64))

    pixels = layers.Flatten()(noisy)
    h = layers.Concatenate()([pixels, caption, time])
    h = layers.Dense(384, activation="swish")(h)
    h = layers.Dropout(0.1)(h)
    h = layers.Concatenate()([h, caption, time])
    h = layers.Dense(384, activation="swish")(h)
    h = layers.Dropout(0.1)(h)
    out = layers.Dense(image_size * image_size, name="epsilon")(h)
    out = layers.Reshape((image_size, image_size, 1))(out)
    return keras.Model([noisy, t, captions], out, name="mlp_denoiser")


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    captions = np.asarray(captions)
    drop = rng.uniform(size=(captions.shape[0], 1)) < p_uncond
    return np.where(drop, NULL_CAPTION[None, :].astype(captions.dtype), captions)


def denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training: bool = False):
    """Mean squared error between the noise and the model's prediction of it."""
    t = ops.cast(t, "int32")
    noise = ops.cast(noise, "float32")
    noisy = q_sample(x0, t, noise, alphas_cumprod)
    predicted = ops.cast(model([noisy, t, ops.cast(captions, "int32")], training=training), "float32")
    return ops.mean(ops.square(noise - predicted))


@tf.function(reduce_retracing=True)
def _loss_and_grads(model, x0, captions, t, noise, alphas_cumprod):
    with tf.GradientTape() as tape:
        loss = denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training=True)
    return loss, tape.gradient(loss, model.trainable_variables)


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    # All randomness comes from rng, outside the compiled helper.
    x0 = tf.convert_to_tensor(x0, tf.float32)
    n = int(x0.shape[0])
    t = rng.integers(0, len(alphas_cumprod), size=(n,)).astype(np.int32)
    noise = rng.normal(0.0, 1.0, size=tuple(x0.shape)).astype(np.float32)
    captions = drop_captions(captions, p_uncond, rng)
    loss, grads = _loss_and_grads(
        model,
        x0,
        tf.convert_to_tensor(captions, tf.int32),
        tf.convert_to_tensor(t),
        tf.convert_to_tensor(noise),
        tf.constant(np.asarray(alphas_cumprod, dtype=np.float32)),
    )
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def guided_epsilon(model, noisy, t, captions, guidance_weight: float):
    """eps_null + w (eps_caption - eps_null), both from one batched call."""
    noisy = ops.cast(noisy, "float32")
    n = ops.shape(noisy)[0]
    t = ops.broadcast_to(ops.cast(t, "int32"), (n,))
    null = ops.repeat(ops.expand_dims(ops.convert_to_tensor(NULL_CAPTION), 0), n, axis=0)
    both = model(
        [
            ops.concatenate([noisy, noisy], axis=0),
            ops.concatenate([t, t], axis=0),
            ops.concatenate([ops.cast(captions, "int32"), null], axis=0),
        ],
        training=False,
    )
    eps_caption, eps_null = ops.split(ops.cast(both, "float32"), 2, axis=0)
    return eps_null + guidance_weight * (eps_caption - eps_null)


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    a_t = float(alphas_cumprod[t])
    a_prev = float(alphas_cumprod[t_prev]) if t_prev >= 0 else 1.0
    noisy = ops.cast(noisy, "float32")
    epsilon = ops.cast(epsilon, "float32")
    x0_hat = (noisy - math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(a_t)
    x0_hat = ops.minimum(ops.maximum(x0_hat, -1.0), 1.0) if clip_denoised else x0_hat
    return math.sqrt(a_prev) * x0_hat + math.sqrt(1.0 - a_prev) * epsilon


def ddpm_step(noisy, epsilon, t: int, alphas_cumprod, noise):
    """Ancestral DDPM step from t to t - 1: the posterior mean plus its noise."""
    a_t = float(alphas_cumprod[t])
    a_prev = float(alphas_cumprod[t - 1]) if t > 0 else 1.0
    alpha_t = a_t / a_prev
    beta_t = 1.0 - alpha_t
    noisy = ops.cast(noisy, "float32")
    epsilon = ops.cast(epsilon, "float32")
    mean = (noisy - (beta_t / math.sqrt(1.0 - a_t)) * epsilon) / math.sqrt(alpha_t)
    std = math.sqrt(beta_t * (1.0 - a_prev) / (1.0 - a_t))
    return mean + std * ops.cast(noise, "float32")


def sample(
    model, captions, alphas_cumprod, image_size: int, num_steps: int = 20, guidance_weight: float = GUIDANCE_WEIGHT, seed: int = 0
) -> np.ndarray:
    """Guided DDIM sampling from seeded noise over num_steps timesteps."""
    captions = ops.convert_to_tensor(np.asarray(captions, dtype=np.int32))
    n = int(captions.shape[0])
    x = np.random.default_rng(seed).standard_normal((n, image_size, image_size, 1)).astype(np.float32)
    x = ops.convert_to_tensor(x)
    last = len(alphas_cumprod) - 1
    timesteps = [round(last - i * last / (num_steps - 1)) for i in range(num_steps)] if num_steps > 1 else [last]
    for t, t_prev in zip(timesteps, timesteps[1:] + [-1]):
        eps = guided_epsilon(model, x, ops.full((n,), t, dtype="int32"), captions, guidance_weight)
        x = ddim_step(x, eps, t, t_prev, alphas_cumprod, clip_denoised=True)
    return ops.convert_to_numpy(x)
