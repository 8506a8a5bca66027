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

Model answer (to say aloud)
    A tokenizer maps a continuous vector z from an encoder to the index of its nearest
    code in a learned codebook; the decoder sees the code, so the index alone carries the
    information, and a transformer can model images or audio as token sequences. The
    nearest-code lookup is an argmin, which has no gradient, so the straight-through
    estimator copies the decoder's gradient from the quantized vector onto z:
    z + stop_gradient(q - z) has the value of q and the gradient of z. The codes then get
    no gradient from the reconstruction, so a codebook loss ||sg(z) - q||² pulls each code
    towards the encoder outputs assigned to it (an exponential moving average of those
    outputs does the same job), and a commitment loss beta ||z - sg(q)||² with beta around
    0.25 stops the encoder's outputs from drifting away from the codes. I compute the
    distances as ||z||² - 2 z·e + ||e||² with one matrix product, instead of broadcasting a
    (vectors, codes, dim) tensor that exhausts memory at real sizes. Two failure modes are
    worth watching: dead codes that no vector ever picks (usage and perplexity show it;
    re-initialise them from recent encoder outputs, or use k-means initialisation), and
    a codebook too small for the detail needed. Residual VQ answers the second: a second
    codebook quantizes what the first left, a third what remains, so S stages of K codes
    give K^S combinations for the cost of S * K codes, and audio codecs such as SoundStream
    and EnCodec use the number of stages as a bitrate knob. Each stage fitted by k-means
    can only lower the error on its data, because a cluster mean is never farther from
    its members, on average, than zero is.

Checklist (what a strong spoken answer covers)
    - Tokens: encoder output snapped to the nearest code; the index is the token a transformer can model
    - argmin has no gradient: the straight-through estimator z + sg(q - z) passes the decoder's gradient to z
    - Codebook loss ||sg(z) - q||² moves the codes (or an EMA of assigned outputs does)
    - Commitment loss beta ||z - sg(q)||², beta about 0.25, keeps the encoder near its codes
    - Distances via ||z||² - 2 z·e + ||e||² with one matmul, not a (vectors, codes, dim) tensor
    - Dead codes: watch usage and perplexity; re-initialise unused codes from encoder outputs or k-means
    - Residual VQ: each stage quantizes the previous residual; S stages of K codes give K^S combinations
    - The number of RVQ stages is a bitrate knob (SoundStream, EnCodec); k-means stages never raise the error
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

CODE_DIM = 8
NUM_CODES = 32
BETA = 0.25


def quantize(z, codebook):
    """Nearest code for every vector of z, and the codes themselves."""
    z = ops.cast(z, "float32")
    codebook = ops.cast(codebook, "float32")
    flat = ops.reshape(z, (-1, ops.shape(z)[-1]))
    distances = (ops.sum(flat**2, axis=1, keepdims=True) - 2.0 * ops.matmul(flat, ops.transpose(codebook))
                 + ops.sum(codebook**2, axis=1)[None, :])
    indices = ops.cast(ops.argmin(distances, axis=1), "int32")
    quantized = ops.take(codebook, indices, axis=0)
    return ops.reshape(quantized, ops.shape(z)), ops.reshape(indices, ops.shape(z)[:-1])


def straight_through(z, quantized):
    """The value of quantized with the gradient of z."""
    z = ops.cast(z, "float32")
    return z + ops.stop_gradient(ops.cast(quantized, "float32") - z)


def vq_losses(z, quantized, beta: float = BETA):
    """Codebook loss (moves the codes) and commitment loss (holds the encoder)."""
    z = ops.cast(z, "float32")
    quantized = ops.cast(quantized, "float32")
    codebook_loss = ops.mean(ops.square(ops.stop_gradient(z) - quantized))
    commitment_loss = beta * ops.mean(ops.square(z - ops.stop_gradient(quantized)))
    return codebook_loss, commitment_loss


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    """Fraction of codes used, and the perplexity of the code frequencies."""
    counts = np.bincount(np.asarray(indices).reshape(-1), minlength=num_codes).astype(np.float64)
    frequencies = counts / counts.sum()
    used = frequencies[frequencies > 0]
    return float(np.mean(counts > 0)), float(np.exp(-np.sum(used * np.log(used))))


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) to continuous codes (batch, 7, 7, code_dim)."""
    # Two strided convolutions down to 7 x 7, then a linear projection to code_dim.
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(images)
    x = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu")(x)
    return keras.Model(images, layers.Conv2D(code_dim, 1)(x), name="encoder")


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Codes (batch, 7, 7, code_dim) back to images (batch, 28, 28, 1) in [0, 1]."""
    # Two transposed convolutions back to 28 x 28, then a sigmoid.
    codes = keras.Input(shape=(7, 7, code_dim))
    x = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(codes)
    x = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu")(x)
    return keras.Model(codes, layers.Conv2D(1, 3, padding="same", activation="sigmoid")(x), name="decoder")


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:
    """One VQ-VAE update of the encoder, the decoder and the codebook."""
    images = ops.convert_to_tensor(images, "float32")
    variables = encoder.trainable_variables + decoder.trainable_variables + [codebook]
    with tf.GradientTape() as tape:
        z = encoder(images, training=True)
        quantized, _ = quantize(z, codebook)
        reconstruction_loss = ops.mean(ops.square(decoder(straight_through(z, quantized), training=True) - images))
        codebook_loss, commitment_loss = vq_losses(z, quantized, beta)
        loss = reconstruction_loss + codebook_loss + commitment_loss
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": float(loss), "reconstruction": float(reconstruction_loss), "codebook": float(codebook_loss),
            "commitment": float(commitment_loss)}


def residual_quantize(z, codebooks):
    """Quantize z, then what is left, stage by stage; the sum of the stages' codes and their indices."""
    residual = ops.cast(z, "float32")
    total = ops.zeros_like(residual)
    indices = []
    for stage in range(len(codebooks)):
        quantized, index = quantize(residual, codebooks[stage])
        total, residual = total + quantized, residual - quantized
        indices.append(index)
    return total, ops.stack(indices)


def _nearest(vectors: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid of each vector (the lowest on a tie)."""
    # einsum rather than `vectors @ centroids.T`: for these small float64 products a multithreaded BLAS spends
    # far more time handing out the work than doing it.
    distances = (vectors**2).sum(1)[:, None] - 2.0 * np.einsum("nd,kd->nk", vectors, centroids) + (centroids**2).sum(1)[None, :]
    return np.argmin(distances, axis=1)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """K-means codebooks for residual VQ, fitted stage by stage on what earlier stages left."""
    residuals = np.array(vectors, dtype=np.float64)
    rng = np.random.default_rng(seed)
    codebooks = []
    for _ in range(num_stages):
        centroids = residuals[rng.choice(len(residuals), num_codes, replace=False)].copy()
        for _ in range(iterations):
            assigned = _nearest(residuals, centroids)
            for code in range(num_codes):
                members = residuals[assigned == code]
                if len(members):
                    centroids[code] = members.mean(axis=0)
        residuals = residuals - centroids[_nearest(residuals, centroids)]
        codebooks.append(centroids)
    return np.stack(codebooks)
