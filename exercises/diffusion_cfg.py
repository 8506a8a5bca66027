"""Text-to-image diffusion with classifier-free guidance (seed §3.1 text to image, §6 generation quality).

Interview question
    How does a text-to-image diffusion model learn, how does it sample, and what does
    the guidance scale do? Implement the pieces: noise schedules, the forward (noising)
    process, a caption-conditioned noise-prediction network trained with condition
    dropout, classifier-free guidance, and deterministic DDIM sampling.

What to build (toy data: mmgen.toy_data; captions (n, 6) int32 with 0 = padding;
images (n, size, size, 1) scaled to [-1, 1])
    linear_betas(timesteps, start=1e-4, end=0.02) -> np.ndarray (timesteps,) float64
        timesteps values evenly spaced from start to end, both included.
    cosine_betas(timesteps, offset=0.008, max_beta=0.999) -> np.ndarray (timesteps,) float64
        Nichol and Dhariwal (2021): f(u) = cos²((u / timesteps + offset) / (1 + offset) · π / 2)
        for u = 0 .. timesteps, and beta[t] = min(1 - f(t + 1) / f(t), max_beta) for
        t = 0 .. timesteps - 1.
    alphas_cumprod(betas) -> np.ndarray like betas, float64
        alphas_cumprod[t] = (1 - betas[0]) (1 - betas[1]) ... (1 - betas[t]).
    q_sample(x0, t, noise, alphas_cumprod) -> float32 tensor like x0
        sqrt(alphas_cumprod[t]) * x0 + sqrt(1 - alphas_cumprod[t]) * noise, where x0 and
        noise have shape (batch, ...) and t (batch,) holds one integer timestep per example.
        Built from keras.ops or tf, so gradients reach x0 and noise.
    timestep_embedding(t, dim) -> float32 tensor (batch, dim)
        t (batch,) integers, dim even, half = dim // 2, frequencies
        f_k = 10000 ** (-k / half) for k = 0 .. half - 1; the row for t is
        [sin(t f_0), ..., sin(t f_(half-1)), cos(t f_0), ..., cos(t f_(half-1))] (sines first).
    NULL_CAPTION: the empty caption toy_data.encode(()), <start> <end> and padding. It
        stands for "no condition".
    build_denoiser(image_size=28, vocab_size=VOCAB_SIZE, timesteps=TIMESTEPS) -> keras.Model
        Called as model([noisy, t, captions]) with noisy (batch, image_size, image_size, 1)
        float32, t (batch,) int32 in [0, timesteps) and captions (batch, 6) int32; returns the
        predicted noise, float32, shaped like noisy, with no bounding activation. Its output
        must depend on the caption and on t. The architecture is free.
    drop_captions(captions, p_uncond, rng) -> np.ndarray like captions
        A new array in which each row, independently with probability p_uncond, is
        replaced by NULL_CAPTION and the other rows are kept (captions itself is left
        unchanged). Draw from rng (a np.random.Generator), afresh on every call.
    denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training=False) -> scalar
        The mean over every element of (noise - model([q_sample(x0, t, noise,
        alphas_cumprod), t, captions], training=training))². A float32 tensor that
        gradients flow through, built from keras.ops or tf so it also runs in a tf.function.
    train_step(model, optimizer, x0, captions, alphas_cumprod, rng, p_uncond=P_UNCOND) -> loss
        One training step on the batch x0 (batch, size, size, 1) with its captions: draw
        one t per example uniformly from 0 .. len(alphas_cumprod) - 1, noise of the shape
        of x0 from a standard normal, and replace captions with drop_captions(captions,
        p_uncond, rng), all from rng; then exactly one optimizer update of every trainable
        variable of the model on denoising_loss(..., training=True), with the model called
        once on the whole batch. Returns that loss, from before the update.
    guided_epsilon(model, noisy, t, captions, guidance_weight) -> float32 tensor like noisy
        Classifier-free guidance: eps_null + w * (eps_caption - eps_null), where eps_caption
        is the model's prediction with the captions and eps_null with NULL_CAPTION in every
        row. Both come from ONE model call on a batch of 2 * batch rows (the noisy images
        and t twice, the captions then the null captions), split afterwards; the model is
        called in inference mode. w = 0 is unconditional, w = 1 conditional, w > 1 guided.
    ddim_step(noisy, epsilon, t, t_prev, alphas_cumprod, clip_denoised=False) -> float32 tensor like noisy
        The deterministic DDIM update (eta = 0) from timestep t to t_prev (Python ints,
        the same for the whole batch): predict x0_hat = (noisy - sqrt(1 - a_t) epsilon) /
        sqrt(a_t), then return sqrt(a_prev) x0_hat + sqrt(1 - a_prev) epsilon, where
        a_t = alphas_cumprod[t] and a_prev = alphas_cumprod[t_prev], or 1 when t_prev = -1
        (the last step returns x0_hat). With clip_denoised=True, x0_hat is clipped to
        [-1, 1], the data's range, before it is used (epsilon is kept as it is); without
        it, nothing is clipped.
    ddpm_step(noisy, epsilon, t, alphas_cumprod, noise) -> float32 tensor like noisy
        The ancestral DDPM step from t to t - 1 (Ho et al. 2020): with a_t and a_prev as
        above (a_prev = 1 at t = 0), alpha_t = a_t / a_prev and beta_t = 1 - alpha_t, the
        posterior mean (noisy - beta_t / sqrt(1 - a_t) epsilon) / sqrt(alpha_t) plus
        sqrt(beta_t (1 - a_prev) / (1 - a_t)) * noise (so no noise at t = 0).
    sample(model, captions, alphas_cumprod, image_size, num_steps=20,
           guidance_weight=GUIDANCE_WEIGHT, seed=0) -> np.ndarray (n, image_size, image_size, 1)
        Guided DDIM sampling: x starts as standard-normal noise of shape (n, image_size,
        image_size, 1) drawn from np.random.default_rng(seed); then, for a decreasing list
        of num_steps distinct timesteps that starts at len(alphas_cumprod) - 1 and ends at
        0 (evenly spaced, rounded to integers, is the usual choice), each step computes
        guided_epsilon at the current timestep (one model call per step) and moves x with
        ddim_step(..., clip_denoised=True) to the next timestep in the list, and after
        timestep 0 to t_prev = -1. Returns that last x0_hat as a NumPy array.

    Learning check (at reduced resolution, which a CPU can afford in seconds: at 28 x 28
    a denoiser needs far more training than a grading run has): the checks build
    build_denoiser(image_size=7) and train it with their own loop for up to 500 steps of
    keras.optimizers.Adam(3e-3) on denoising_loss(..., training=True), batches of 64
    drawn from the 64 toy scenes average-pooled to 7 x 7 and scaled to [-1, 1], with the
    cosine schedule of TIMESTEPS steps and a fifth of the captions dropped. Every 50 steps,
    on fresh noise at timesteps 30 to 99, they compare noise-prediction errors, and the
    check passes the first time the error with the true captions is below 0.9 times the
    error with the null caption, which is below 0.9 times the error with another scene's
    caption. (After all 500 steps the model answer gets about 0.04, 0.08 and 0.23.) Keep
    the denoiser small: an MLP of a few hundred units is enough at 7 x 7.

    Pass tensors, not NumPy arrays, to the Keras models.

Grade with: python grade.py diffusion_cfg
"""

from __future__ import annotations

import math  # noqa: F401

import keras
import numpy as np
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import MAX_LEN, VOCAB_SIZE, encode  # noqa: F401

TIMESTEPS = 100
P_UNCOND = 0.2
GUIDANCE_WEIGHT = 2.0
NULL_CAPTION = encode(())


def linear_betas(timesteps: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """Betas rising linearly from start to end."""
    raise NotImplementedError


def cosine_betas(timesteps: int, offset: float = 0.008, max_beta: float = 0.999) -> np.ndarray:
    """The cosine schedule of Nichol and Dhariwal (2021)."""
    raise NotImplementedError


def alphas_cumprod(betas) -> np.ndarray:
    """The cumulative product of 1 - beta."""
    raise NotImplementedError


def q_sample(x0, t, noise, alphas_cumprod):
    """Noise x0 to timestep t in one shot."""
    raise NotImplementedError


def timestep_embedding(t, dim: int):
    """Sinusoidal embedding of integer timesteps: sines, then cosines."""
    raise NotImplementedError


def build_denoiser(image_size: int = 28, vocab_size: int = VOCAB_SIZE, timesteps: int = TIMESTEPS) -> keras.Model:
    """A noise predictor conditioned on the caption and the timestep."""
    raise NotImplementedError


def drop_captions(captions, p_uncond: float, rng: np.random.Generator) -> np.ndarray:
    """Each caption replaced by the null caption with probability p_uncond."""
    raise NotImplementedError


def denoising_loss(model, x0, captions, t, noise, alphas_cumprod, training: bool = False):
    """Mean squared error between the noise and the model's prediction of it."""
    raise NotImplementedError


def train_step(model, optimizer, x0, captions, alphas_cumprod, rng: np.random.Generator, p_uncond: float = P_UNCOND):
    """One update on the denoising loss at random timesteps, noise and dropped captions."""
    raise NotImplementedError


def guided_epsilon(model, noisy, t, captions, guidance_weight: float):
    """eps_null + w (eps_caption - eps_null), both from one batched call."""
    raise NotImplementedError


def ddim_step(noisy, epsilon, t: int, t_prev: int, alphas_cumprod, clip_denoised: bool = False):
    """Deterministic DDIM update from t to t_prev."""
    raise NotImplementedError


def ddpm_step(noisy, epsilon, t: int, alphas_cumprod, noise):
    """Ancestral DDPM step from t to t - 1: the posterior mean plus its noise."""
    raise NotImplementedError


def sample(model, captions, alphas_cumprod, image_size: int, num_steps: int = 20,
           guidance_weight: float = GUIDANCE_WEIGHT, seed: int = 0) -> np.ndarray:
    """Guided DDIM sampling from seeded noise over num_steps timesteps."""
    raise NotImplementedError
