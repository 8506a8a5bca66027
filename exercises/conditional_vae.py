"""A text-conditioned variational autoencoder on the toy scenes (seed §2: VAEs as a base model).

Interview question
    Explain how a VAE is trained and make it conditional on text: how do you sample a
    latent code and still backpropagate, what is the KL term, what exactly is the ELBO
    you optimise, and how do you draw a new image for a caption once it is trained?

What to build (toy data: mmgen.toy_data; images in [0, 1], captions are token ids, 0 = padding)
    reparameterize(mu, logvar) -> z, same shape as mu, float32
        z = mu + exp(0.5 * logvar) * eps with eps ~ N(0, I) drawn afresh on every call,
        independently for every element; gradients must reach mu and logvar.
    kl_divergence(mu, logvar) -> (batch,) float32
        KL( N(mu, exp(logvar)) || N(0, I) ) for each example, SUMMED over the latent
        dimensions: 0.5 * sum(exp(logvar) + mu^2 - 1 - logvar). It is >= 0 (up to
        float rounding); gradients reach mu and logvar.
    vae_loss(images, reconstructions, mu, logvar, beta=1.0) -> {"loss", "reconstruction", "kl"}
        reconstruction = binary cross-entropy between images and reconstructions
        (probabilities in [0, 1]; clip them to [1e-7, 1 - 1e-7]), SUMMED over the
        28 * 28 pixels of an example; kl = kl_divergence. Each entry is a scalar: the
        MEAN over the batch. loss = reconstruction + beta * kl (the negative ELBO); the
        "kl" entry is the unweighted mean KL. Gradients reach reconstructions, mu, logvar.
    build_encoder(vocab_size, latent_dim=LATENT_DIM) -> keras.Model
        called as encoder([images, captions]): images (batch, 28, 28, 1) float32,
        captions (batch, length) int32 -> [mu, logvar], each (batch, latent_dim) float32.
    build_decoder(vocab_size, latent_dim=LATENT_DIM) -> keras.Model
        called as decoder([z, captions]) -> images (batch, 28, 28, 1) float32 in [0, 1].
        The caption must change the image: the decoder is what you sample from.
    train_step(encoder, decoder, optimizer, images, captions, beta=1.0) -> dict
        one gradient step on vae_loss(images, decoder([z, captions]), mu, logvar, beta),
        with [mu, logvar] = encoder([images, captions]) and z = reparameterize(mu, logvar)
        (a fresh posterior sample, never mu itself): ONE optimizer update (its iterations
        advance by 1) of every trainable variable of the encoder and the decoder, by the
        gradient of that loss; returns the vae_loss dict computed before the update.
    reconstruct(encoder, decoder, images, captions) -> np.ndarray (batch, 28, 28, 1) in [0, 1]
        decoder([mu, captions]) for the encoder's mean mu (no sampling), both networks in
        inference mode (training=False), so the same input gives the same output.
    sample(decoder, captions, seed=0) -> np.ndarray (batch, 28, 28, 1) float32 in [0, 1]
        decodes one independent z ~ N(0, I) per caption, of the decoder's latent size (any
        latent_dim given to build_decoder), drawn from a generator seeded with `seed`
        (same seed, same images; another seed, other images).

    Call the networks with training=True inside train_step. Pass tensors, not NumPy
    arrays, to Keras models: a model called with [tensor, array] refuses the mix.

    Learning check: 40 train_step calls (beta = 1, Adam(3e-3)) on one batch of 16 toy
    scenes must bring the negative ELBO of that batch, decoding mu with both networks in
    inference mode, below 0.6 times its value before training.

Grade with: python grade.py conditional_vae
"""

from __future__ import annotations

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

LATENT_DIM = 8
TEXT_DIM = 16
_EPS = 1e-7


def reparameterize(mu, logvar):
    """z = mu + exp(0.5 * logvar) * eps, with fresh eps ~ N(0, I) of mu's shape."""
    raise NotImplementedError


def kl_divergence(mu, logvar):
    """KL(N(mu, exp(logvar)) || N(0, I)) per example, summed over latent dimensions: (batch,)."""
    raise NotImplementedError


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    """Negative ELBO: batch mean of (pixel-summed BCE + beta * KL), with both terms reported."""
    raise NotImplementedError


def build_encoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    """[images, captions] -> [mu, logvar], each (batch, latent_dim)."""
    raise NotImplementedError


def build_decoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    """[z, captions] -> images (batch, 28, 28, 1) in [0, 1]."""
    raise NotImplementedError


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    """One step on the negative ELBO for encoder and decoder together; returns the losses."""
    raise NotImplementedError


def reconstruct(encoder, decoder, images, captions) -> np.ndarray:
    """Decode the posterior mean: deterministic reconstructions in [0, 1]."""
    raise NotImplementedError


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    """Images for captions from seeded prior samples z ~ N(0, I)."""
    raise NotImplementedError
