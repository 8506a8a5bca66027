"""A sound alternative: NumPy k-means (np.add.at, np.bincount), a TensorArray residual loop summed by tf.add, np.unique usage."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

CODE_DIM = 8
NUM_CODES = 32
BETA = 0.25


def quantize(z, codebook):
    """Nearest code for every vector of z, and the codes themselves."""
    z = tf.cast(tf.convert_to_tensor(z), tf.float32)
    codebook = tf.cast(tf.convert_to_tensor(codebook), tf.float32)
    leading = tf.shape(z)[:-1]
    flat = tf.reshape(z, tf.stack([-1, tf.shape(codebook)[1]]))
    cross = tf.einsum("nd,kd->nk", flat, codebook)
    # Squares by multiplication (exact in every lane), so equal codes give exactly equal distances.
    z_norms = tf.reduce_sum(flat * flat, axis=1, keepdims=True)
    code_norms = tf.reduce_sum(codebook * codebook, axis=1, keepdims=True)
    distances = z_norms - 2.0 * cross + tf.transpose(code_norms)
    # top_k of the negated distances: the largest value first, and on equal values the lower index first.
    _, best = tf.math.top_k(-distances, k=1, sorted=True)
    indices = tf.reshape(tf.cast(best[:, 0], tf.int32), leading)
    return tf.gather(codebook, indices, axis=0), indices


def straight_through(z, quantized):
    """The value of quantized with the gradient of z."""
    z = tf.cast(tf.convert_to_tensor(z), tf.float32)
    quantized = tf.cast(tf.convert_to_tensor(quantized), tf.float32)
    return z + tf.stop_gradient(quantized - z)


def vq_losses(z, quantized, beta: float = BETA):
    """Codebook loss (moves the codes) and commitment loss (holds the encoder)."""
    z = tf.cast(tf.convert_to_tensor(z), tf.float32)
    quantized = tf.cast(tf.convert_to_tensor(quantized), tf.float32)
    count = tf.cast(tf.size(z), tf.float32)
    codebook_loss = tf.reduce_sum(tf.math.squared_difference(tf.stop_gradient(z), quantized)) / count
    commitment_loss = float(beta) * tf.reduce_sum(tf.math.squared_difference(z, tf.stop_gradient(quantized))) / count
    return codebook_loss, commitment_loss


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    """Fraction of codes used, and the perplexity of the code frequencies."""
    codes, counts = np.unique(np.asarray(indices).reshape(-1), return_counts=True)
    if counts.size == 0:
        return 0.0, 1.0
    p = counts / counts.sum()  # only codes that occur, so 0 log 0 never arises
    return float(len(codes) / num_codes), float(np.exp(-np.dot(p, np.log(p))))


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) to continuous codes (batch, 7, 7, code_dim)."""
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, padding="same", activation="gelu"),
            layers.AveragePooling2D(2),  # 14x14
            layers.Conv2D(32, 3, padding="same", activation="gelu"),
            layers.AveragePooling2D(2),  # 7x7
            layers.LayerNormalization(),
            layers.Conv2D(32, 3, padding="same", activation="gelu"),
            layers.Conv2D(code_dim, 3, padding="same"),  # linear: unbounded codes
        ],
        name="vq_encoder_sequential",
    )


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Codes (batch, 7, 7, code_dim) back to images (batch, 28, 28, 1) in [0, 1]."""
    return keras.Sequential(
        [
            keras.Input((7, 7, code_dim)),
            layers.Conv2D(32, 3, padding="same", activation="gelu"),
            layers.Conv2DTranspose(32, 3, strides=2, padding="same", activation="gelu"),  # 14x14
            layers.Conv2DTranspose(16, 3, strides=2, padding="same", activation="gelu"),  # 28x28
            layers.Conv2D(1, 3, padding="same"),
            layers.Activation("sigmoid", dtype="float32"),
        ],
        name="vq_decoder_sequential",
    )


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:
    """One VQ-VAE update of the encoder, the decoder and the codebook."""
    images = tf.cast(tf.convert_to_tensor(images), tf.float32)
    with tf.GradientTape(persistent=True) as tape:
        z = tf.cast(encoder(images, training=True), tf.float32)
        quantized, _ = quantize(z, codebook)
        reconstruction = tf.cast(decoder(straight_through(z, quantized), training=True), tf.float32)
        reconstruction_loss = tf.reduce_mean(tf.math.squared_difference(reconstruction, images))
        codebook_loss, commitment_loss = vq_losses(z, quantized, beta)
        model_loss = reconstruction_loss + commitment_loss
        loss = model_loss + codebook_loss
    # The stop_gradients split the total loss: the codebook loss is the only term that reaches the
    # codebook and the only one that does not reach the networks, so each gradient of the total loss
    # is the gradient of its own part.
    model_variables = list(encoder.trainable_variables) + list(decoder.trainable_variables)
    model_gradients = tape.gradient(model_loss, model_variables)
    codebook_gradient = tf.convert_to_tensor(tape.gradient(codebook_loss, codebook))
    del tape
    pairs = [(g, v) for g, v in zip(model_gradients, model_variables) if g is not None] + [(codebook_gradient, codebook)]
    optimizer.apply_gradients(pairs)
    values = {"loss": loss, "reconstruction": reconstruction_loss, "codebook": codebook_loss, "commitment": commitment_loss}
    return {name: float(value.numpy()) for name, value in values.items()}


def residual_quantize(z, codebooks):
    """Quantize z, then what is left, stage by stage; the sum of the stages' codes and their indices."""
    z = tf.cast(tf.convert_to_tensor(z), tf.float32)
    codebooks = tf.cast(tf.convert_to_tensor(codebooks), tf.float32)
    residual = z
    stage_codes = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=z.shape)
    stage_indices = tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=z.shape[:-1])
    for stage in range(codebooks.shape[0]):
        codes, indices = quantize(residual, codebooks[stage])
        stage_codes = stage_codes.write(stage, codes)
        stage_indices = stage_indices.write(stage, indices)
        residual = tf.subtract(residual, codes)
    if codebooks.shape[0] == 0:
        return tf.zeros_like(z), tf.zeros(tf.concat([[0], tf.shape(z)[:-1]], axis=0), tf.int32)
    # Sum the stages in order, q_0 + q_1 + ..., as the contract writes it.
    stacked = stage_codes.stack()
    quantized = stacked[0]
    for stage in range(1, codebooks.shape[0]):
        quantized = tf.add(quantized, stacked[stage])
    return quantized, stage_indices.stack()


def _assign(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Nearest centroid of every point; np.argmin keeps the lowest index on a tie."""
    squared = np.einsum("nd,nd->n", points, points)[:, None] - 2.0 * np.einsum("nd,kd->nk", points, centroids)
    squared += np.einsum("kd,kd->k", centroids, centroids)[None, :]
    return squared.argmin(axis=1)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """K-means codebooks for residual VQ, fitted stage by stage on what earlier stages left."""
    residuals = np.array(vectors, dtype=np.float64, copy=True)
    n, dim = residuals.shape
    generator = np.random.default_rng(seed)  # one generator for the whole fit
    codebooks = np.empty((num_stages, num_codes, dim), dtype=np.float64)
    for stage in range(num_stages):
        centroids = residuals[generator.choice(n, num_codes, replace=False)].copy()
        for _ in range(iterations):
            labels = _assign(residuals, centroids)
            sums = np.zeros_like(centroids)
            np.add.at(sums, labels, residuals)
            counts = np.bincount(labels, minlength=num_codes)
            occupied = counts > 0
            centroids[occupied] = sums[occupied] / counts[occupied, None]
        codebooks[stage] = centroids
        residuals -= centroids[_assign(residuals, centroids)]
    return codebooks
