"""A text-conditioned GAN: captions in, 28x28 images out (seed §3.1 and coding task 1).

Interview question
    Build a GAN that draws an image for a caption. The seed's version never looks at
    the text; yours must: both the generator and the discriminator see the caption,
    and each training step updates each network only with its own loss, variables
    and optimizer.

What to build (toy data: mmgen.toy_data; captions are token ids, 0 = padding)
    build_text_encoder(vocab_size, dim=TEXT_DIM) -> keras.Model
        captions (batch, length) int32, any length >= 1 -> (batch, dim) float32 (masking
        padding is a plus). Called in inference mode, each caption's vector depends on that
        caption only, not on the other captions in its batch.
    build_generator(vocab_size, noise_dim=NOISE_DIM) -> keras.Model
        called as generator([z, captions]): z (batch, noise_dim) float32, for the noise_dim
        it was built with -> images (batch, 28, 28, 1) float32 in [-1, 1] for any z.
    build_discriminator(vocab_size) -> keras.Model
        called as discriminator([images, captions]) -> (batch, 1) logits (no sigmoid).
    discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z,
                       real_smoothing=0.0) -> scalar d_loss
        D loss = mean BCE(D(real, c), 1 - real_smoothing) + mean BCE(D(G(z, c), c), 0), with
        the z it is given; one d_optimizer update of every trainable variable of the
        discriminator, and of nothing else (G's trainable variables stay as they are).
        Returns the loss the gradients came from (before the update).
    generator_step(generator, discriminator, g_optimizer, captions, z) -> scalar g_loss
        non-saturating G loss = mean BCE(D(G(z, c), c), 1); one g_optimizer update of every
        trainable variable of the generator, and of nothing else. Returns the loss before
        the update.
    train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z,
               real_smoothing=0.0) -> {"d_loss": scalar, "g_loss": scalar}
        one discriminator_step (with real_smoothing), then one generator_step, with the same z.
    sample(generator, captions, seed=0) -> np.ndarray (batch, 28, 28, 1) float32 in [-1, 1]
        draws z (batch, noise_dim) from a standard normal with the given seed, a fresh row
        for every example (same seed, same images; another seed, other images), and returns
        generator([z, captions], training=False). It must work for generators from your
        build_generator with any noise_dim.

    BCE is computed from the logits and stays finite for any logit (softplus form,
    tf.nn.sigmoid_cross_entropy_with_logits or keras.losses.BinaryCrossentropy(from_logits=True)).
    Inside the steps call the networks with training=True: the D step calls
    generator([z, captions]) once, and the discriminator once on [real_images, captions]
    and then once on [fakes, captions] (not on one concatenated batch); the G step calls
    generator([z, captions]) once and discriminator([fakes, captions]) once. The checks
    recompute your losses with the same calls, so that Dropout draws the same masks and
    BatchNorm sees the same batches. "Updates only D" means D's trainable variables:
    BatchNorm statistics and random layers' seeds may move.
    Real images are in [-1, 1]. Pass tensors, not NumPy arrays, to Keras models: a model
    called with [tensor, array] refuses the mix.

    The learning check makes 150 train_step calls (Adam(1e-3, beta_1=0.5) for each network,
    batches of 32 toy scenes, standard-normal z). Every 25 calls it measures, over the 64
    toy captions, the mean absolute difference between generator([z, captions]) (inference
    mode) and the clean images; it must fall to half its starting value at one of them.

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
