"""Discrete tokenizers: vector quantisation and residual VQ (seed §6, end-to-end generation with tokens).

Interview question
    Large multimodal generators treat images and audio as sequences of discrete tokens,
    like words. How do you turn a continuous signal into tokens and back? Implement
    the VQ-VAE recipe (van den Oord et al. 2017): nearest-code quantisation, the
    straight-through estimator, the codebook and commitment losses, codebook usage, a
    training step, and residual vector quantisation (several codebooks in turn, as in
    SoundStream and EnCodec), fitted to the toy word tones.

What to build (toy data: mmgen.toy_data; images (n, 28, 28, 1) in [0, 1])
    quantize(z, codebook) -> (quantized, indices)
        z (..., dim) float32, codebook (codes, dim). indices (...) int32: for each vector of
        z, the index of the nearest code in squared Euclidean distance (the lowest index on
        a tie), computed from ||z||² - 2 z·codeᵀ + ||code||² so that no tensor of shape
        (vectors, codes, dim) is ever built; quantized = codebook[indices], shaped like z,
        float32. Works for tensors and variables; gradients are the caller's business.
    straight_through(z, quantized) -> tensor like z
        z + stop_gradient(quantized - z): its value is quantized, its gradient with respect
        to z is the identity, and no gradient reaches quantized through it.
    vq_losses(z, quantized, beta=BETA) -> (codebook_loss, commitment_loss), float32 scalars
        codebook_loss = mean((stop_gradient(z) - quantized)²) moves the codes towards the
        encoder's outputs; commitment_loss = beta * mean((z - stop_gradient(quantized))²)
        keeps the encoder near its codes. Means over every element.
    codebook_usage(indices, num_codes) -> (usage, perplexity), Python floats
        usage: the fraction of the num_codes codes that occur in indices; perplexity:
        exp(-Σ p_k log p_k) over the codes' frequencies p_k in indices (0 log 0 = 0), which
        runs from 1 (one code used) to num_codes (all used equally).
    build_encoder(code_dim=CODE_DIM) -> keras.Model
        images (batch, 28, 28, 1) -> z (batch, 7, 7, code_dim) float32, unbounded.
    build_decoder(code_dim=CODE_DIM) -> keras.Model
        (batch, 7, 7, code_dim) -> images (batch, 28, 28, 1) in [0, 1].
    train_step(encoder, decoder, codebook, optimizer, images, beta=BETA) -> dict of floats
        One VQ-VAE step: z = encoder(images, training=True); (quantized, indices) =
        quantize(z, codebook); reconstruction = decoder(straight_through(z, quantized),
        training=True); loss = mean((reconstruction - images)²) + codebook_loss +
        commitment_loss. Exactly one optimizer update of the encoder's and the decoder's
        trainable variables and of codebook (a tf.Variable of shape (codes, code_dim)).
        Returns {"loss", "reconstruction", "codebook", "commitment"} from before the update.
        So: the encoder learns from the reconstruction (through the straight-through path)
        and from the commitment loss, the codebook only from the codebook loss.
    residual_quantize(z, codebooks) -> (quantized, indices)
        codebooks (stages, codes, dim). Stage s quantizes what the earlier stages left:
        residual_0 = z, (q_s, i_s) = quantize(residual_s, codebooks[s]),
        residual_(s+1) = residual_s - q_s; quantized = q_0 + q_1 + ..., float32 shaped like
        z, and indices (stages, ...) int32.
    fit_residual_codebooks(vectors, num_stages, num_codes, iterations=20, seed=0) -> np.ndarray
        (num_stages, num_codes, dim) float64 codebooks fitted by k-means, stage by stage:
        each stage starts from rows of the current residuals picked by
        np.random.default_rng(seed).choice(n, num_codes, replace=False) (one generator
        for the whole fit, created once), then alternates `iterations` times: assign each
        residual to its nearest centroid (lowest index on a tie), move each centroid to the
        mean of its residuals (a centroid with none stays where it is). The next stage
        fits the residuals minus their nearest centroid of this stage. vectors (n, dim),
        n >= num_codes. Because each centroid is the mean of its members, the mean squared
        error on the fitted vectors never grows from one stage to the next.

    Learning check: residual codebooks fitted with your fit_residual_codebooks to tone
    frames of the 10 toy words (4 stages of 16 codes; 16 frames of TONE_SAMPLES samples per
    word, each with its own random phase and amplitude) must, through your residual_quantize,
    give mean squared errors on those frames that never grow from one stage to the next,
    and reconstruct 8 held-out frames per word so that the strongest FFT bin of at least
    90 % of them is the word's own (the model answer: 99-100 %). The VQ-VAE's train_step is
    checked against the gradient of the loss above rather than by training it.

    Pass tensors, not NumPy arrays, to the Keras models.

Grade with: python grade.py vq_tokenizer
"""

from __future__ import annotations

import keras
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

CODE_DIM = 8
NUM_CODES = 32
BETA = 0.25


def quantize(z, codebook):
    """Nearest code for every vector of z, and the codes themselves."""
    raise NotImplementedError


def straight_through(z, quantized):
    """The value of quantized with the gradient of z."""
    raise NotImplementedError


def vq_losses(z, quantized, beta: float = BETA):
    """Codebook loss (moves the codes) and commitment loss (holds the encoder)."""
    raise NotImplementedError


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    """Fraction of codes used, and the perplexity of the code frequencies."""
    raise NotImplementedError


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) to continuous codes (batch, 7, 7, code_dim)."""
    raise NotImplementedError


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Codes (batch, 7, 7, code_dim) back to images (batch, 28, 28, 1) in [0, 1]."""
    raise NotImplementedError


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:
    """One VQ-VAE update of the encoder, the decoder and the codebook."""
    raise NotImplementedError


def residual_quantize(z, codebooks):
    """Quantize z, then what is left, stage by stage; the sum of the stages' codes and their indices."""
    raise NotImplementedError


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """K-means codebooks for residual VQ, fitted stage by stage on what earlier stages left."""
    raise NotImplementedError
