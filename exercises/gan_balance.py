"""Keeping a GAN's discriminator and generator in balance (seed §4, question 2).

Interview question
    Your multimodal GAN stalls: the discriminator either cannot tell real from generated
    data, or it wins so completely that the generator stops learning. What do you change,
    and how do you tell from the training logs which of the two is happening?

What to build (images are float32 (batch, 28, 28, 1) in [-1, 1]; logits are (batch, 1))
    build_generator(noise_dim=NOISE_DIM) -> keras.Model: z (batch, noise_dim) -> images in
        [-1, 1] whatever its weights (end with tanh); the images depend on z.
    build_discriminator(spectral_norm=False) -> keras.Model: images -> logits: unbounded
        real numbers of either sign (no sigmoid, no final activation).
        With spectral_norm=True every weight matrix is divided by (an estimate of) its
        largest singular value whenever the model is called with training=True, so the
        logit cannot change faster than a fixed constant times the input, however large
        the raw weights grow. keras.layers.SpectralNormalization does this for you.
    discriminator_loss(real_logits, fake_logits, real_smoothing=0.0) -> scalar
        mean BCE(real_logits, 1 - real_smoothing) + mean BCE(fake_logits, 0), from logits
        (finite for any logits, with its gradient): one-sided smoothing, fake targets stay
        exactly 0.
    instance_noise_std(step, start, decay_steps) -> float
        linear decay to zero: start * max(0, 1 - step / decay_steps).
    add_instance_noise(images, std) -> images + std * eps, eps ~ N(0, 1) fresh on every
        call, one independent draw per pixel of every example; std = 0 returns the images
        unchanged (no clipping); the gradient with respect to the images passes through.
    interpolate(real, fake) -> alpha * real + (1 - alpha) * fake, with alpha ~ U(0, 1)
        drawn once PER EXAMPLE (shape (batch, 1, 1, 1)), fresh on every call.
    gradient_penalty(discriminator, real, fake) -> scalar
        at x = interpolate(real, fake): the MEAN over the batch of (||d logit / d x||_2 - 1)^2,
        where the norm is taken per example over all its pixels (WGAN-GP); differentiable
        with respect to the discriminator's weights (a double backward pass).
    discriminator_step(generator, discriminator, d_optimizer, real_images, z,
                       real_smoothing=0.0, noise_std=0.0, gp_weight=0.0)
        -> {"loss": scalar, "gp": scalar, "accuracy": scalar}
        fake = G(z); both real and fake get instance noise of noise_std before D sees them;
        loss = discriminator_loss(D(noisy real), D(noisy fake), real_smoothing)
               + gp_weight * gradient_penalty(D, real, fake)   (penalty on the clean images)
        One update of d_optimizer with the gradient of that loss, applied to D's trainable
        variables only. "loss" is that loss (before the update); "gp" is the penalty
        itself, unweighted (0.0 when gp_weight is 0); "accuracy" is the fraction of the
        2 * batch logits on the right side of 0 (real > 0, fake < 0; a logit of exactly 0
        is wrong either way), from the noisy logits of the loss.
    generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0) -> scalar
        the non-saturating loss mean BCE(D(noisy G(z)), 1), with instance noise of
        noise_std on G(z), before the update; one update of g_optimizer with its gradient,
        applied to G's trainable variables only.
    train(generator, discriminator, g_optimizer, d_optimizer, images, steps,
          config=BalanceConfig(), seed=0) -> dict of lists, each of length `steps`
        For each step s: std = instance_noise_std(s, config.noise_start, config.noise_decay_steps);
        config.d_steps discriminator steps (each on its own fresh batch of
        config.batch_size real images drawn at random, and fresh z), then ONE generator
        step. Every batch and every z come from np.random.default_rng(seed): the same seed
        draws the same ones, another seed others (the order and kind of draws are yours).
        History keys: "d_loss" and "d_accuracy" (mean over that step's D updates),
        "g_loss", "noise_std" (the std used at that step).
    diagnose(d_accuracies, window=WINDOW) -> "overpowering" | "collapsing" | "balanced"
        from the mean of the last `window` accuracies (all of them if fewer):
        >= OVERPOWERING -> "overpowering" (D wins, G's gradient vanishes);
        <= COLLAPSED -> "collapsing" (D cannot tell real from generated);
        otherwise "balanced". A mean within 1e-9 of a threshold counts as reaching it, so
        float rounding cannot move a history off it: np.mean([0.95] * 20) is
        0.9499999999999998, yet that history is "overpowering" (compare with a 1e-9
        tolerance, or average with statistics.fmean / math.fsum).

    Call the networks with training=True inside the steps. "Applied to D's (G's) trainable
    variables only" is about what the optimizer updates: the other network's trainable
    variables keep their values, while state that Keras layers change by themselves when
    called with training=True may move in either network (BatchNormalization's moving
    statistics, random layers' seeds, and SpectralNormalization's power-iteration vector
    and the normalised kernel it writes back into the layer it wraps); the checks of the
    steps use networks without spectral normalisation. The checks pass their own small
    models (linear, quadratic and MLP critics, linear and MLP generators) to the steps,
    to gradient_penalty and to train, so these must work with any Keras models of the
    right input and output shapes; they check each step with keras.optimizers.SGD, whose
    update must be exactly -learning_rate * the gradient of the stated loss. Pass tensors,
    not NumPy arrays, to Keras models.

Grade with: python grade.py gan_balance
"""

from __future__ import annotations

from dataclasses import dataclass

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

NOISE_DIM = 16
OVERPOWERING = 0.95
COLLAPSED = 0.55
WINDOW = 20


@dataclass(frozen=True)
class BalanceConfig:
    """The balancing knobs of one training run."""

    d_steps: int = 1  # discriminator updates per generator update
    real_smoothing: float = 0.0  # real targets become 1 - real_smoothing
    noise_start: float = 0.0  # instance-noise std at step 0
    noise_decay_steps: int = 1000  # step at which the noise std reaches 0
    gp_weight: float = 0.0  # weight of the gradient penalty in D's loss
    batch_size: int = 16


def build_generator(noise_dim: int = NOISE_DIM) -> keras.Model:
    """z (batch, noise_dim) -> images (batch, 28, 28, 1) in [-1, 1]."""
    raise NotImplementedError


def build_discriminator(spectral_norm: bool = False) -> keras.Model:
    """images -> logits (batch, 1); optionally every weight layer spectrally normalised."""
    raise NotImplementedError


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean BCE of real logits vs 1 - real_smoothing plus mean BCE of fake logits vs 0."""
    raise NotImplementedError


def instance_noise_std(step: int, start: float, decay_steps: int) -> float:
    """Linearly decaying noise strength: start at step 0, zero from decay_steps on."""
    raise NotImplementedError


def add_instance_noise(images, std):
    """images + std * N(0, 1), a fresh draw per pixel on every call."""
    raise NotImplementedError


def interpolate(real, fake):
    """Random points on the lines between paired real and fake examples: one alpha per example."""
    raise NotImplementedError


def gradient_penalty(discriminator, real, fake):
    """Batch mean of (||grad_x D(x)||_2 - 1)^2 at interpolates x, norm per example."""
    raise NotImplementedError


def discriminator_step(generator, discriminator, d_optimizer, real_images, z,
                       real_smoothing=0.0, noise_std=0.0, gp_weight=0.0) -> dict:
    """One D update with smoothing, instance noise and an optional gradient penalty."""
    raise NotImplementedError


def generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0):
    """One G update with the non-saturating loss; D is only read."""
    raise NotImplementedError


def train(generator, discriminator, g_optimizer, d_optimizer, images, steps: int,
          config: BalanceConfig = BalanceConfig(), seed: int = 0) -> dict:
    """`steps` rounds of config.d_steps D updates then one G update; per-step history lists."""
    raise NotImplementedError


def diagnose(d_accuracies, window: int = WINDOW) -> str:
    """'overpowering', 'collapsing' or 'balanced' from the mean of the recent D accuracies."""
    raise NotImplementedError
