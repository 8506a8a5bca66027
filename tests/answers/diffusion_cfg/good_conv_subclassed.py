"""A sound alternative: a subclassed keras.Model with a small 3x3 convolutional body (plus coordinate channels) and FiLM per-channel scale and bias from the caption and timestep, computed with tf ops."""

from __future__ import annotations

import math

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import MAX_LEN, VOCAB_SIZE, encode  # noqa: F401

TIMESTEPS = 100
P_UNCOND = 0.2
GUIDANCE_WEIGHT = 2.0
NULL_CAPTION = encode(())


def linear_betas(timesteps: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """Betas rising linearly from start to end."""
    return np.linspace(start, end, timesteps, dtype=np.float64)


def cosine_betas(timesteps: int, offset: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The cosine schedule of Nichol and Dhariwal (2021)."""
    u = np.arange(timesteps + 1, dtype=np.float64)
    f = np.cos((u / timesteps + offset) / (1.0 + offset) * math.pi / 2.0) ** 2
    return np.minimum(1.0 - f[1:] / f[:-1], max_beta)


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    return np.cumprod(1.0 - np.asarray(betas, dtype=np.float64))


def _gather_scale(values, t, rank):
    """values[t] as float32, shaped (batch, 1, ..., 1) to broadcast against a rank-`rank` tensor."""
    table = tf.cast(tf.convert_to_tensor(values), tf.float32)
    picked = tf.gather(table, tf.cast(t, tf.int32))
    return tf.reshape(picked, [-1] + [1] * (rank - 1))


def q_sample(x0, t, noise, alphas_cumprod):
    """Noise x0 to timestep t in one shot."""
    x0 = tf.cast(x0, tf.float32)
    noise = tf.cast(noise, tf.float32)
    a = _gather_scale(alphas_cumprod, t, x0.shape.rank)
    return tf.sqrt(a) * x0 + tf.sqrt(1.0 - a) * noise


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    half = dim // 2
    freqs = tf.exp(-math.log(10000.0) * tf.range(half, dtype=tf.float32) / half)
    angles = tf.cast(tf.reshape(t, [-1, 1]), tf.float32) * freqs[None, :]
    return tf.concat([tf.sin(angles), tf.cos(angles)], axis=-1)


class ConvDenoiser(keras.Model):
    """Three 3x3 convolutions on (noisy, y, x); each hidden layer is modulated per channel
    by a scale and bias computed from the caption and the timestep (FiLM)."""

    def __init__(self, image_size, vocab_size, timesteps, channels=32, embed_dim=32, **kwargs):
        super().__init__(**kwargs)
        self.image_size = image_size
        self.vocab_size = vocab_size
        self.timesteps = timesteps
        self.channels = channels
        self.embed_dim = embed_dim
        self.token_embedding = layers.Embedding(vocab_size, 16)
        self.caption_dense = layers.Dense(64, activation="swish")
        self.time_dense = layers.Dense(64, activation="swish")
        self.cond_dense = layers.Dense(64, activation="swish")
        self.conv1 = layers.Conv2D(channels, 3, padding="same")
        self.conv2 = layers.Conv2D(channels, 3, padding="same")
        self.conv3 = layers.Conv2D(channels, 3, padding="same")
        self.norm1 = layers.GroupNormalization(groups=8)
        self.norm2 = layers.GroupNormalization(groups=8)
        self.film1 = layers.Dense(2 * channels)
        self.film2 = layers.Dense(2 * channels)
        self.out_conv = layers.Conv2D(1, 1, padding="same")
        grid = np.linspace(-1.0, 1.0, image_size, dtype=np.float32)
        yy, xx = np.meshgrid(grid, grid, indexing="ij")
        self._coords = tf.constant(np.stack([yy, xx], axis=-1)[None])  # (1, s, s, 2)

    @staticmethod
    def _modulate(h, film):
        scale, bias = tf.split(film, 2, axis=-1)
        return h * (1.0 + scale[:, None, None, :]) + bias[:, None, None, :]

    def call(self, inputs, training=None):
        noisy, t, captions = inputs
        noisy = tf.cast(noisy, tf.float32)
        captions = tf.cast(captions, tf.int32)
        batch = tf.shape(noisy)[0]
        tokens = self.token_embedding(captions)  # (batch, MAX_LEN, 16)
        tokens = tf.reshape(tokens, [batch, tokens.shape[1] * tokens.shape[2]])
        cond = tf.concat([self.caption_dense(tokens), self.time_dense(timestep_embedding(t, self.embed_dim))], axis=-1)
        cond = self.cond_dense(cond)
        coords = tf.tile(self._coords, [batch, 1, 1, 1])
        h = self.conv1(tf.concat([noisy, coords], axis=-1))
        h = tf.nn.silu(self._modulate(self.norm1(h, training=training), self.film1(cond)))
        h = self.conv2(h)
        h = tf.nn.silu(self._modulate(self.norm2(h, training=training), self.film2(cond)))
        h = tf.nn.silu(self.conv3(h))
        return self.out_conv(h)


def build_denoiser(image_size: int = 28, vocab_size: int = VOCAB_SIZE, timesteps: int = TIMESTEPS) -> keras.Model:
    """A noise predictor conditioned on the caption and the timestep."""
    model = ConvDenoiser(image_size, vocab_size, timesteps)
    model(
        [
            tf.zeros((1, image_size, image_size, 1), tf.float32),
            tf.zeros((1,), tf.int32),
            tf.constant(NULL_CAPTION[None]),
        ]
    )  # create every variable eagerly
    return model


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    out = np.array(captions, copy=True)
    dropped = rng.random(out.shape[0]) < p_uncond
    out[dropped] = NULL_CAPTION
    return out


def denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training: bool = False):
    """Mean squared error between the noise and the model's prediction of it."""
    noise = tf.cast(noise, tf.float32)
    t = tf.cast(t, tf.int32)
    noisy = q_sample(x0, t, noise, alphas_cumprod)
    predicted = model([noisy, t, tf.cast(captions, tf.int32)], training=training)
    return tf.reduce_mean(tf.square(noise - tf.cast(predicted, tf.float32)))


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    x0 = tf.convert_to_tensor(x0, tf.float32)
    n = int(x0.shape[0])
    t = rng.integers(0, len(alphas_cumprod), size=n)
    noise = rng.standard_normal(tuple(x0.shape))
    dropped = drop_captions(np.asarray(captions), p_uncond, rng)
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = denoising_loss(
            model,
            x0,
            tf.constant(dropped, tf.int32),
            tf.constant(t, tf.int32),
            tf.constant(noise, tf.float32),
            alphas_cumprod,
            training=True,
        )
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss


def guided_epsilon(model, noisy, t, captions, guidance_weight: float):
    """eps_null + w (eps_caption - eps_null), both from one batched call."""
    noisy = tf.cast(noisy, tf.float32)
    n = tf.shape(noisy)[0]
    t = tf.broadcast_to(tf.cast(t, tf.int32), [n])
    captions = tf.cast(captions, tf.int32)
    null = tf.tile(tf.constant(NULL_CAPTION[None], tf.int32), [n, 1])
    eps = model([tf.concat([noisy, noisy], 0), tf.concat([t, t], 0), tf.concat([captions, null], 0)], training=False)
    eps = tf.cast(eps, tf.float32)
    eps_caption, eps_null = eps[:n], eps[n:]
    return eps_null + guidance_weight * (eps_caption - eps_null)


def _abar(alphas_cumprod, t):
    return 1.0 if t < 0 else float(alphas_cumprod[t])


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    noisy = tf.cast(noisy, tf.float32)
    epsilon = tf.cast(epsilon, tf.float32)
    a_t, a_prev = _abar(alphas_cumprod, t), _abar(alphas_cumprod, t_prev)
    x0_hat = (noisy - math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(a_t)
    if clip_denoised:
        x0_hat = tf.clip_by_value(x0_hat, -1.0, 1.0)
    return math.sqrt(a_prev) * x0_hat + math.sqrt(1.0 - a_prev) * epsilon


def ddpm_step(noisy, epsilon, t: int, alphas_cumprod, noise):
    """Ancestral DDPM step from t to t - 1: the posterior mean plus its noise."""
    noisy = tf.cast(noisy, tf.float32)
    epsilon = tf.cast(epsilon, tf.float32)
    noise = tf.cast(noise, tf.float32)
    a_t, a_prev = _abar(alphas_cumprod, t), _abar(alphas_cumprod, t - 1)
    alpha_t = a_t / a_prev
    beta_t = 1.0 - alpha_t
    mean = (noisy - beta_t / math.sqrt(1.0 - a_t) * epsilon) / math.sqrt(alpha_t)
    sigma = math.sqrt(beta_t * (1.0 - a_prev) / (1.0 - a_t))
    return mean + sigma * noise


def sample(
    model, captions, alphas_cumprod, image_size: int, num_steps: int = 20, guidance_weight: float = GUIDANCE_WEIGHT, seed: int = 0
) -> np.ndarray:
    """Guided DDIM sampling from seeded noise over num_steps timesteps."""
    captions = tf.constant(np.asarray(captions), tf.int32)
    n = int(captions.shape[0])
    rng = np.random.default_rng(seed)
    x = tf.constant(rng.standard_normal((n, image_size, image_size, 1)), tf.float32)
    steps = [int(s) for s in np.round(np.linspace(len(alphas_cumprod) - 1, 0, num_steps))]
    for i, t in enumerate(steps):
        t_prev = steps[i + 1] if i + 1 < len(steps) else -1
        eps = guided_epsilon(model, x, tf.fill([n], t), captions, guidance_weight)
        x = ddim_step(x, eps, t, t_prev, alphas_cumprod, clip_denoised=True)
    return x.numpy()
