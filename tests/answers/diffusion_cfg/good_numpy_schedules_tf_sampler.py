"""A sound alternative: schedules in NumPy via logs (exp of cumsum of log1p, exp of diff of log), q_sample / ddim / ddpm by tf.gather on tf tables, a functional MLP with a learned timestep table and position-aware caption features, guidance by tf.split, and a sampler whose timesteps are np.linspace(0, T - 1, num_steps).round() reversed."""

from __future__ import annotations

import math  # noqa: F401

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import MAX_LEN, VOCAB_SIZE, encode

TIMESTEPS = 100
P_UNCOND = 0.2
GUIDANCE_WEIGHT = 2.0
NULL_CAPTION = encode(())


def linear_betas(timesteps: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """Betas rising linearly from start to end."""
    if timesteps < 2:
        return np.full(timesteps, start, dtype=np.float64)
    return np.interp(np.arange(timesteps, dtype=np.float64), [0.0, timesteps - 1.0], [start, end])


def cosine_betas(timesteps: int, offset: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The cosine schedule of Nichol and Dhariwal (2021)."""
    u = np.arange(timesteps + 1, dtype=np.float64)
    log_f = 2.0 * np.log(np.cos((u / timesteps + offset) / (1.0 + offset) * (np.pi / 2.0)))
    ratio = np.exp(np.diff(log_f))  # f(t + 1) / f(t)
    return np.clip(1.0 - ratio, None, max_beta)


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    betas = np.asarray(betas, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.exp(np.cumsum(np.log1p(-betas)))


def _table(alphas_cumprod):
    return tf.cast(tf.convert_to_tensor(alphas_cumprod), tf.float32)


def q_sample(x0, t, noise, alphas_cumprod):
    """Noise x0 to timestep t in one shot."""
    x0 = tf.cast(x0, tf.float32)
    noise = tf.cast(noise, tf.float32)
    a = tf.gather(_table(alphas_cumprod), tf.cast(t, tf.int32))
    extra = tf.ones([tf.rank(x0) - 1], tf.int32)
    a = tf.reshape(a, tf.concat([tf.shape(a), extra], axis=0))
    return tf.sqrt(a) * x0 + tf.sqrt(1.0 - a) * noise


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    half = dim // 2
    freqs = tf.constant(10000.0 ** (-np.arange(half, dtype=np.float64) / half), tf.float32)
    angles = tf.einsum("b,k->bk", tf.cast(tf.reshape(t, [-1]), tf.float32), freqs)
    return tf.concat([tf.sin(angles), tf.cos(angles)], axis=1)


def build_denoiser(image_size: int = 28, vocab_size: int = VOCAB_SIZE, timesteps: int = TIMESTEPS) -> keras.Model:
    """A noise predictor conditioned on the caption and the timestep."""
    noisy = keras.Input((image_size, image_size, 1), name="noisy")
    t = keras.Input((), dtype="int32", name="t")
    captions = keras.Input((MAX_LEN,), dtype="int32", name="captions")
    time = layers.Embedding(timesteps, 64, name="time_table")(t)  # a learned row per timestep
    words = layers.Flatten()(layers.Embedding(vocab_size, 16, name="token_table")(captions))  # keeps word order
    cond = layers.Dense(128, activation="gelu")(layers.Concatenate()([words, time]))
    h = layers.Concatenate()([layers.Flatten()(noisy), cond])
    h = layers.Dense(320, activation="gelu")(h)
    h = layers.LayerNormalization()(h)
    h = layers.Dense(320, activation="gelu")(layers.Concatenate()([h, cond]))
    out = layers.Dense(image_size * image_size)(h)
    return keras.Model([noisy, t, captions], layers.Reshape((image_size, image_size, 1))(out))


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    captions = np.asarray(captions)
    drop = rng.binomial(1, p_uncond, size=captions.shape[0]).astype(bool)
    return np.where(drop[:, None], NULL_CAPTION.astype(captions.dtype)[None, :], captions)


def denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training: bool = False):
    """Mean squared error between the noise and the model's prediction of it."""
    t = tf.cast(t, tf.int32)
    noise = tf.cast(noise, tf.float32)
    prediction = model([q_sample(x0, t, noise, alphas_cumprod), t, tf.cast(captions, tf.int32)], training=training)
    return tf.reduce_mean(tf.math.squared_difference(noise, tf.cast(prediction, tf.float32)))


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    x0 = tf.cast(tf.convert_to_tensor(x0), tf.float32)
    shape = tuple(int(d) for d in x0.shape)
    t = tf.constant(rng.integers(len(alphas_cumprod), size=shape[0]), tf.int32)
    noise = tf.constant(rng.standard_normal(shape, dtype=np.float32))
    captions = tf.constant(drop_captions(captions, p_uncond, rng), tf.int32)
    weights = model.trainable_weights
    with tf.GradientTape() as tape:
        loss = denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training=True)
    optimizer.apply(tape.gradient(loss, weights), weights)
    return loss


def guided_epsilon(model, noisy, t, captions, guidance_weight: float):
    """eps_null + w (eps_caption - eps_null), both from one batched call."""
    noisy = tf.cast(noisy, tf.float32)
    n = tf.shape(noisy)[0]
    t = tf.cast(t, tf.int32) * tf.ones([n], tf.int32)
    null = tf.repeat(tf.constant(NULL_CAPTION[None], tf.int32), n, axis=0)
    eps = model(
        [
            tf.tile(noisy, tf.concat([[2], tf.ones([tf.rank(noisy) - 1], tf.int32)], 0)),
            tf.tile(t, [2]),
            tf.concat([tf.cast(captions, tf.int32), null], axis=0),
        ],
        training=False,
    )
    eps_caption, eps_null = tf.split(tf.cast(eps, tf.float32), 2, axis=0)
    return eps_null + guidance_weight * (eps_caption - eps_null)


def _padded_table(alphas_cumprod):
    """[1, a_0, a_1, ...]: index t + 1 gives a_t, and index 0 the a = 1 of t = -1."""
    return tf.concat([tf.ones([1], tf.float32), _table(alphas_cumprod)], axis=0)


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    table = _padded_table(alphas_cumprod)
    a_t, a_prev = tf.gather(table, t + 1), tf.gather(table, t_prev + 1)
    noisy, epsilon = tf.cast(noisy, tf.float32), tf.cast(epsilon, tf.float32)
    x0_hat = (noisy - tf.sqrt(1.0 - a_t) * epsilon) / tf.sqrt(a_t)
    if clip_denoised:
        x0_hat = tf.clip_by_value(x0_hat, -1.0, 1.0)
    return tf.sqrt(a_prev) * x0_hat + tf.sqrt(1.0 - a_prev) * epsilon


def ddpm_step(noisy, epsilon, t: int, alphas_cumprod, noise):
    """Ancestral DDPM step from t to t - 1: the posterior mean plus its noise."""
    table = _padded_table(alphas_cumprod)
    a_t, a_prev = tf.gather(table, t + 1), tf.gather(table, t)
    alpha_t = a_t / a_prev
    beta_t = 1.0 - alpha_t
    noisy, epsilon = tf.cast(noisy, tf.float32), tf.cast(epsilon, tf.float32)
    mean = (noisy - beta_t * tf.math.rsqrt(1.0 - a_t) * epsilon) * tf.math.rsqrt(alpha_t)
    variance = beta_t * (1.0 - a_prev) / (1.0 - a_t)
    return mean + tf.sqrt(variance) * tf.cast(noise, tf.float32)


def sample(
    model, captions, alphas_cumprod, image_size: int, num_steps: int = 20, guidance_weight: float = GUIDANCE_WEIGHT, seed: int = 0
) -> np.ndarray:
    """Guided DDIM sampling from seeded noise over num_steps timesteps."""
    captions = tf.constant(np.asarray(captions), tf.int32)
    n = captions.shape[0]
    x = tf.constant(np.random.default_rng(seed).standard_normal((n, image_size, image_size, 1)), tf.float32)
    last = len(alphas_cumprod) - 1
    schedule = np.linspace(0, last, num_steps).round().astype(np.int64)[::-1] if num_steps > 1 else np.array([last])
    targets = np.append(schedule[1:], -1)
    for t, t_prev in zip(schedule.tolist(), targets.tolist()):
        eps = guided_epsilon(model, x, tf.constant(t, tf.int32), captions, guidance_weight)
        x = ddim_step(x, eps, t, t_prev, alphas_cumprod, clip_denoised=True)
    return x.numpy()
