"""A sound alternative: raw tf ops (tf.gather, tf.argmin, tf.stop_gradient), subclassed BatchNorm models, tf.function gradient."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

CODE_DIM = 8
NUM_CODES = 32
BETA = 0.25


def _as_float32(x):
    """A float32 tensor reading x (a tensor, a variable or an array); variables stay differentiable."""
    tensor = tf.convert_to_tensor(x)
    return tensor if tensor.dtype == tf.float32 else tf.cast(tensor, tf.float32)


def quantize(z, codebook):
    """Nearest code for every vector of z, and the codes themselves."""
    z = _as_float32(z)
    codebook = _as_float32(codebook)
    dim = codebook.shape[-1] if codebook.shape[-1] is not None else tf.shape(codebook)[-1]
    flat = tf.reshape(z, [-1, dim])
    # ||z||² - 2 z·cᵀ + ||c||²: a (vectors, codes) matrix, never (vectors, codes, dim).
    distances = (
        tf.reduce_sum(tf.square(flat), axis=1, keepdims=True)
        - 2.0 * tf.matmul(flat, codebook, transpose_b=True)
        + tf.reduce_sum(tf.square(codebook), axis=1)[tf.newaxis, :]
    )
    num_codes = tf.shape(codebook)[0]
    closest = tf.reduce_min(distances, axis=1, keepdims=True)
    # Every code at the minimal distance keeps its own index, the others get num_codes, so the
    # argmin below has no ties left and returns the lowest tied index.
    candidates = tf.where(distances <= closest, tf.range(num_codes)[tf.newaxis, :], num_codes)
    flat_indices = tf.argmin(candidates, axis=1, output_type=tf.int32)
    indices = tf.reshape(flat_indices, tf.shape(z)[:-1])
    return tf.gather(codebook, indices), indices


def straight_through(z, quantized):
    """The value of quantized with the gradient of z."""
    z = _as_float32(z)
    return z + tf.stop_gradient(_as_float32(quantized) - z)


def vq_losses(z, quantized, beta: float = BETA):
    """Codebook loss (moves the codes) and commitment loss (holds the encoder)."""
    z = _as_float32(z)
    quantized = _as_float32(quantized)
    codebook_loss = tf.reduce_mean(tf.square(tf.stop_gradient(z) - quantized))
    commitment_loss = tf.cast(beta, tf.float32) * tf.reduce_mean(tf.square(z - tf.stop_gradient(quantized)))
    return codebook_loss, commitment_loss


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    """Fraction of codes used, and the perplexity of the code frequencies."""
    flat = np.asarray(indices).astype(np.int64).ravel()
    counts = np.bincount(flat, minlength=num_codes)[:num_codes].astype(np.float64)
    total = counts.sum()
    if total == 0:
        return 0.0, 1.0
    p = counts[counts > 0] / total
    entropy = -np.sum(p * np.log(p))
    return float(np.count_nonzero(counts) / num_codes), float(np.exp(entropy))


class _Encoder(keras.Model):
    """Two stride-2 convolutions with batch norm, then a linear 3x3 head to code_dim channels."""

    def __init__(self, code_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.down1 = layers.Conv2D(32, 4, strides=2, padding="same", use_bias=False)
        self.norm1 = layers.BatchNormalization()
        self.down2 = layers.Conv2D(64, 4, strides=2, padding="same", use_bias=False)
        self.norm2 = layers.BatchNormalization()
        self.mix = layers.Conv2D(64, 3, padding="same", use_bias=False)
        self.norm3 = layers.BatchNormalization()
        self.head = layers.Conv2D(code_dim, 3, padding="same")

    def call(self, images, training=False):
        x = tf.nn.relu(self.norm1(self.down1(images), training=training))  # 14x14
        x = tf.nn.relu(self.norm2(self.down2(x), training=training))  # 7x7
        x = x + tf.nn.relu(self.norm3(self.mix(x), training=training))
        return tf.cast(self.head(x), tf.float32)


class _Decoder(keras.Model):
    """A 3x3 convolution, two stride-2 transposed convolutions with batch norm, a sigmoid image."""

    def __init__(self, code_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.code_dim = code_dim
        self.lift = layers.Conv2D(64, 3, padding="same", use_bias=False)
        self.norm0 = layers.BatchNormalization()
        self.up1 = layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)
        self.norm1 = layers.BatchNormalization()
        self.up2 = layers.Conv2DTranspose(32, 4, strides=2, padding="same", use_bias=False)
        self.norm2 = layers.BatchNormalization()
        self.to_image = layers.Conv2D(1, 3, padding="same", activation="sigmoid")

    def call(self, codes, training=False):
        x = tf.nn.relu(self.norm0(self.lift(codes), training=training))
        x = tf.nn.relu(self.norm1(self.up1(x), training=training))  # 14x14
        x = tf.nn.relu(self.norm2(self.up2(x), training=training))  # 28x28
        return tf.cast(self.to_image(x), tf.float32)


def build_encoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) to continuous codes (batch, 7, 7, code_dim)."""
    encoder = _Encoder(code_dim, name="vq_encoder")
    encoder(tf.zeros((1, 28, 28, 1), tf.float32))  # creates the weights
    return encoder


def build_decoder(code_dim: int = CODE_DIM) -> keras.Model:
    """Codes (batch, 7, 7, code_dim) back to images (batch, 28, 28, 1) in [0, 1]."""
    decoder = _Decoder(code_dim, name="vq_decoder")
    decoder(tf.zeros((1, 7, 7, code_dim), tf.float32))  # creates the weights
    return decoder


# Compiled gradient functions, one per (encoder, decoder, codebook); the few most recent are kept.
_COMPILED: dict = {}
_MAX_COMPILED = 4


def _gradient_function(encoder, decoder, codebook):
    key = (id(encoder), id(decoder), id(codebook))
    entry = _COMPILED.get(key)
    if entry is not None and entry[0] is encoder and entry[1] is decoder and entry[2] is codebook:
        return entry[3]

    @tf.function(reduce_retracing=True)
    def compute(images, beta):
        variables = list(encoder.trainable_variables) + list(decoder.trainable_variables) + [codebook]
        with tf.GradientTape() as tape:
            z = encoder(images, training=True)
            quantized, _ = quantize(z, codebook)
            reconstruction = decoder(straight_through(z, quantized), training=True)
            reconstruction_loss = tf.reduce_mean(tf.square(_as_float32(reconstruction) - images))
            codebook_loss, commitment_loss = vq_losses(z, quantized, beta)
            loss = reconstruction_loss + codebook_loss + commitment_loss
        gradients = tape.gradient(loss, variables)
        # The codebook's gradient comes from tf.gather as IndexedSlices: make it dense.
        gradients = [None if g is None else tf.convert_to_tensor(g) for g in gradients]
        values = {"loss": loss, "reconstruction": reconstruction_loss, "codebook": codebook_loss, "commitment": commitment_loss}
        return gradients, values

    _COMPILED[key] = (encoder, decoder, codebook, compute)
    while len(_COMPILED) > _MAX_COMPILED:
        del _COMPILED[next(iter(_COMPILED))]  # the oldest
    return compute


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:
    """One VQ-VAE update of the encoder, the decoder and the codebook."""
    images = _as_float32(images)
    if not encoder.built or not decoder.built:  # create any missing weights eagerly, outside the tf.function
        decoder(encoder(images[:1], training=False), training=False)
    compute = _gradient_function(encoder, decoder, codebook)
    gradients, values = compute(images, tf.constant(beta, tf.float32))
    variables = list(encoder.trainable_variables) + list(decoder.trainable_variables) + [codebook]
    pairs = [(g, v) for g, v in zip(gradients, variables) if g is not None]
    optimizer.apply_gradients(pairs)
    return {name: float(value) for name, value in values.items()}


def residual_quantize(z, codebooks):
    """Quantize z, then what is left, stage by stage; the sum of the stages' codes and their indices."""
    z = _as_float32(z)
    codebooks = _as_float32(codebooks)
    residual = z
    total = tf.zeros_like(z)
    stage_indices = []
    for stage in range(codebooks.shape[0]):
        quantized, indices = quantize(residual, codebooks[stage])
        total = total + quantized
        residual = residual - quantized
        stage_indices.append(indices)
    if not stage_indices:
        return total, tf.zeros(tf.concat([[0], tf.shape(z)[:-1]], axis=0), tf.int32)
    return total, tf.stack(stage_indices, axis=0)


def _nearest(points: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Index of the nearest centroid of every point (np.argmin: the lowest index on a tie)."""
    distances = (
        np.sum(points**2, axis=1, keepdims=True) - 2.0 * points @ centroids.T + np.sum(centroids**2, axis=1)[np.newaxis, :]
    )
    return np.argmin(distances, axis=1)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    """K-means codebooks for residual VQ, fitted stage by stage on what earlier stages left."""
    residuals = np.array(vectors, dtype=np.float64)
    n, dim = residuals.shape
    rng = np.random.default_rng(seed)
    codebooks = np.zeros((num_stages, num_codes, dim), dtype=np.float64)
    for stage in range(num_stages):
        centroids = residuals[rng.choice(n, num_codes, replace=False)].copy()
        for _ in range(iterations):
            assignment = _nearest(residuals, centroids)
            for code in range(num_codes):
                members = residuals[assignment == code]
                if len(members):
                    centroids[code] = members.mean(axis=0)
        codebooks[stage] = centroids
        residuals = residuals - centroids[_nearest(residuals, centroids)]
    return codebooks
