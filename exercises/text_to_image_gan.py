"""A text-conditioned GAN: captions in, 28x28 images out (seed §3.1 and coding task 1).

Interview question
    Build a GAN that draws an image for a caption. The seed's version never looks at
    the text; yours must: both the generator and the discriminator see the caption,
    and each training step updates each network only with its own loss, variables
    and optimizer.

What to build (toy data: mmgen.toy_data; captions are token ids, 0 = padding)
    build_text_encoder(vocab_size, dim=TEXT_DIM) -> keras.Model
        captions (batch, length) int32 -> (batch, dim) float32 (masking padding is a plus).
    build_generator(vocab_size, noise_dim=NOISE_DIM) -> keras.Model
        called as generator([z, captions]): z (batch, noise_dim) float32 ->
        images (batch, 28, 28, 1) float32 in [-1, 1].
    build_discriminator(vocab_size) -> keras.Model
        called as discriminator([images, captions]) -> (batch, 1) logits (no sigmoid).
    discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z,
                       real_smoothing=0.0) -> scalar d_loss
        D loss = mean BCE(D(real, c), 1 - real_smoothing) + mean BCE(D(G(z, c), c), 0);
        applies gradients to the discriminator's trainable variables only.
    generator_step(generator, discriminator, g_optimizer, captions, z) -> scalar g_loss
        non-saturating G loss = mean BCE(D(G(z, c), c), 1); updates the generator only.
    train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z,
               real_smoothing=0.0) -> {"d_loss": scalar, "g_loss": scalar}
        one discriminator_step, then one generator_step, with the same z.
    sample(generator, captions, seed=0) -> np.ndarray (batch, 28, 28, 1) float32 in [-1, 1]
        draws z from a standard normal with the given seed (same seed, same images).

    Call the networks with training=True inside the steps (the checks recompute your
    losses that way). Real images are in [-1, 1]. Pass tensors, not NumPy arrays, to
    Keras models: a model called with [tensor, array] refuses the mix.

Grade with: python grade.py text_to_image_gan
"""

from __future__ import annotations

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

NOISE_DIM = 16
TEXT_DIM = 32


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, length) -> caption vector (batch, dim)."""
    raise NotImplementedError


def build_generator(vocab_size: int, noise_dim: int = NOISE_DIM) -> keras.Model:
    """[z, captions] -> images (batch, 28, 28, 1) in [-1, 1]."""
    raise NotImplementedError


def build_discriminator(vocab_size: int) -> keras.Model:
    """[images, captions] -> one logit per example, shape (batch, 1)."""
    raise NotImplementedError


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """One update of D on real and generated images; G is only read. Returns d_loss."""
    raise NotImplementedError


def generator_step(generator, discriminator, g_optimizer, captions, z):
    """One update of G so that D calls its images real; D is only read. Returns g_loss."""
    raise NotImplementedError


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """A discriminator step, then a generator step, with the same noise: {"d_loss", "g_loss"}."""
    raise NotImplementedError


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    """Images for captions from seeded standard-normal noise, as a numpy array in [-1, 1]."""
    raise NotImplementedError
