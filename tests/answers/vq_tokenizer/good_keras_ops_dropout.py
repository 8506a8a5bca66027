"""A sound alternative: keras.ops throughout, functional Dropout models ending in a per-position Dense, MeanSquaredError."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

CODE_DIM = 8
NUM_CODES = 32
BETA = 0.25

# "sum_over_batch_size" averages the per-vector means; every vector has the same length, so this
# is the mean over every element.
_MSE = keras.losses.MeanSquaredError()


def _float32(x):
    """x (tensor, variable or array) as a float32 tensor; reading a variable stays differentiable."""
    return ops.cast(ops.convert_to_tensor(x), "float32")


def quantize(z, codebook):
    """Nearest code for every vector of z, and the codes themselves."""
    z = _float32(z)
    codebook = _float32(codebook)
    num_codes, dim = ops.shape(codebook)[0], ops.shape(codebook)[-1]
    vectors = ops.reshape(z, (-1, dim))
    z_norms = ops.sum(ops.square(vectors), axis=-1, keepdims=True)  # (vectors, 1)
    code_norms = ops.expand_dims(ops.sum(ops.square(codebook), axis=-1), 0)  # (1, codes)
    distances = z_norms - 2.0 * ops.matmul(vectors, ops.transpose(codebook)) + code_norms  # (vectors, codes)
    # Lowest index among the codes at the minimal distance.
    closest = ops.min(distances, axis=-1, keepdims=True)
    code_ids = ops.expand_dims(ops.arange(num_codes, dtype="int32"), 0)
    flat_indices = ops.min(ops.where(distances <= closest, code_ids, num_codes), axis=-1)
    indices = ops.cast(ops.reshape(flat_indices, ops.shape(z)[:-1]), "int32")
    quantized = ops.take(codebook, indices, axis=0)
    return quantized, indices


def straight_through(z, quantized):
    """The value of quantized with the gradient of z."""
    z = _float32(z)
    return z + ops.stop_gradient(_float32(quantized) - z)


def vq_losses(z, quantized, beta: float = BETA):
    """Codebook loss (moves the codes) and commitment loss (holds the encoder)."""
    z = _float32(z)
    quantized = _float32(quantized)
    codebook_loss = _MSE(ops.stop_gradient(z), quantized)
    commitment_loss = ops.cast(beta, "float32") * _MSE(z, ops.stop_gradient(quantized))
    return ops.cast(codebook_loss, "float32"), ops.cast(commitment_loss, "float32")


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    """Fraction of codes used, and the perplexity of the code frequencies."""
    flat = ops.convert_to_numpy(ops.reshape(ops.convert_to_tensor(indices, dtype="int32"), (-1,)))
    counts = np.zeros(num_codes, dtype=np.float64)
    for code in range(num_codes):
        counts[code] = np.sum(flat == code)
    if counts.sum() == 0:
        return 0.0, 1.0
    p = counts / counts.sum()
    safe = np.where(p > 0, p, 1.0)  # 0 log 0 = 0
    perplexity = np.exp(-np.sum(p * np.log(safe)))
    return float(np.mean(counts > 0)), float(perplexity)


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) to continuous codes (batch, 7, 7, code_dim)."""
    images = keras.Input((28, 28, 1), name="images")
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(images)
    x = layers.MaxPooling2D(2)(x)  # 14x14
    x = layers.Dropout(0.1)(x)
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)  # 7x7
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(64, activation="relu")(x)  # Dense acts on the last axis: once per position
    z = layers.Dense(code_dim, name="z")(x)  # linear, unbounded
    return keras.Model(images, z, name="vq_encoder_dropout")


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Codes (batch, 7, 7, code_dim) back to images (batch, 28, 28, 1) in [0, 1]."""
    codes = keras.Input((7, 7, code_dim), name="codes")
    x = layers.Dense(64, activation="relu")(codes)
    x = layers.Dropout(0.1)(x)
    x = layers.UpSampling2D(2)(x)  # 14x14
    x = layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    x = layers.Dropout(0.1)(x)
    x = layers.UpSampling2D(2)(x)  # 28x28
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    images = layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="image")(x)
    return keras.Model(codes, images, name="vq_decoder_dropout")


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:
    """One VQ-VAE update of the encoder, the decoder and the codebook."""
    images = _float32(images)
    variables = list(encoder.trainable_variables) + list(decoder.trainable_variables) + [codebook]
    with tf.GradientTape() as tape:
        z = _float32(encoder(images, training=True))
        quantized, _ = quantize(z, codebook)
        reconstruction = _float32(decoder(straight_through(z, quantized), training=True))
        reconstruction_loss = _MSE(images, reconstruction)
        codebook_loss, commitment_loss = vq_losses(z, quantized, beta)
        loss = reconstruction_loss + codebook_loss + commitment_loss
    gradients = tape.gradient(loss, variables)
    optimizer.apply_gradients([(ops.convert_to_tensor(g), v) for g, v in zip(gradients, variables) if g is not None])
    values = {"loss": loss, "reconstruction": reconstruction_loss, "codebook": codebook_loss, "commitment": commitment_loss}
    return {name: float(ops.convert_to_numpy(value)) for name, value in values.items()}


def residual_quantize(z, codebooks):
    """Quantize z, then what is left, stage by stage; the sum of the stages' codes and their indices."""
    z = _float32(z)
    codebooks = _float32(codebooks)
    residual = z
    quantized = ops.zeros_like(z)
    indices = []
    for stage in range(codebooks.shape[0]):
        stage_codes, stage_indices = quantize(residual, codebooks[stage])
        quantized = ops.add(quantized, stage_codes)
        residual = ops.subtract(residual, stage_codes)
        indices.append(stage_indices)
    if not indices:
        return quantized, ops.zeros((0,) + tuple(z.shape[:-1]), dtype="int32")
    return quantized, ops.stack(indices, axis=0)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """K-means codebooks for residual VQ, fitted stage by stage on what earlier stages left."""
    residuals = np.asarray(vectors, dtype=np.float64).copy()
    n, dim = residuals.shape
    rng = np.random.default_rng(seed)
    books = []

    def assign(centroids):
        squared = np.square(residuals[:, np.newaxis, :] - centroids[np.newaxis, :, :]).sum(axis=-1)
        return np.argmin(squared, axis=-1)  # first (lowest) index on a tie

    for _ in range(num_stages):
        centroids = residuals[rng.choice(n, num_codes, replace=False)]
        for _ in range(iterations):
            one_hot = (assign(centroids)[:, np.newaxis] == np.arange(num_codes)[np.newaxis, :]).astype(np.float64)
            counts = one_hot.sum(axis=0)
            sums = one_hot.T @ residuals
            centroids = np.where(counts[:, np.newaxis] > 0, sums / np.maximum(counts, 1.0)[:, np.newaxis], centroids)
        books.append(centroids)
        residuals = residuals - centroids[assign(centroids)]
    return np.stack(books).reshape(num_stages, num_codes, dim)
