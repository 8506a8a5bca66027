"""A text-conditioned VAE written from the docstring: functional MLP networks, a single
Dense head split into (mu, logvar), tf.nn / tf.math ops and a tf.random.Generator for sampling."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

LATENT_DIM = 8
TEXT_DIM = 16
_EPS = 1e-7


def reparameterize(mu, logvar):
    mu, logvar = tf.cast(mu, tf.float32), tf.cast(logvar, tf.float32)
    std = tf.math.exp(0.5 * logvar)
    eps = tf.random.normal(tf.shape(std))
    return mu + std * eps


def kl_divergence(mu, logvar):
    mu, logvar = tf.cast(mu, tf.float32), tf.cast(logvar, tf.float32)
    return -0.5 * tf.reduce_sum(1.0 + logvar - tf.square(mu) - tf.math.exp(logvar), axis=1)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    x = tf.cast(images, tf.float32)
    p = tf.clip_by_value(tf.cast(reconstructions, tf.float32), _EPS, 1.0 - _EPS)
    nll = -(tf.math.xlogy(x, p) + tf.math.xlogy(1.0 - x, 1.0 - p))
    per_example = tf.reduce_sum(tf.reshape(nll, (tf.shape(nll)[0], -1)), axis=1)
    reconstruction = tf.reduce_mean(per_example)
    kl = tf.reduce_mean(kl_divergence(mu, logvar))
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}


class MaskedMean(layers.Layer):
    def call(self, embedded, tokens):
        mask = tf.cast(tokens > 0, embedded.dtype)[..., None]
        return tf.math.divide_no_nan(tf.reduce_sum(embedded * mask, 1), tf.reduce_sum(mask, 1))


def _caption_vector(vocab_size, tokens):
    return MaskedMean()(layers.Embedding(vocab_size, 24)(tokens), tokens)


def build_encoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    images = keras.Input((28, 28, 1), dtype="float32")
    tokens = keras.Input((None,), dtype="int32")
    h = layers.Concatenate()([layers.Flatten()(images), _caption_vector(vocab_size, tokens)])
    h = layers.Dense(256, activation="relu")(h)
    h = layers.Dense(128, activation="relu")(h)
    stats = layers.Dense(2 * latent_dim)(h)
    mu = layers.Lambda(lambda s: s[:, :latent_dim])(stats)
    logvar = layers.Lambda(lambda s: s[:, latent_dim:])(stats)
    return keras.Model([images, tokens], [mu, logvar], name="mlp_encoder")


def build_decoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    z = keras.Input((latent_dim,), dtype="float32")
    tokens = keras.Input((None,), dtype="int32")
    h = layers.Concatenate()([z, _caption_vector(vocab_size, tokens)])
    h = layers.Dense(128, activation="relu")(h)
    h = layers.Dense(256, activation="relu")(h)
    h = layers.Dense(28 * 28, activation="sigmoid")(h)
    return keras.Model([z, tokens], layers.Reshape((28, 28, 1))(h), name="mlp_decoder")


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    images = tf.cast(images, tf.float32)
    captions = tf.cast(captions, tf.int32)
    trainable = [*encoder.trainable_variables, *decoder.trainable_variables]
    with tf.GradientTape() as tape:
        mu, logvar = encoder([images, captions], training=True)
        recon = decoder([reparameterize(mu, logvar), captions], training=True)
        out = vae_loss(images, recon, mu, logvar, beta=beta)
    optimizer.apply_gradients(list(zip(tape.gradient(out["loss"], trainable), trainable)))
    return out


def reconstruct(encoder, decoder, images, captions) -> np.ndarray:
    captions = tf.cast(captions, tf.int32)
    mu, _ = encoder([tf.cast(images, tf.float32), captions], training=False)
    return decoder([mu, captions], training=False).numpy()


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    captions = tf.cast(captions, tf.int32)
    gen = tf.random.Generator.from_seed(seed)
    z = gen.normal((captions.shape[0], decoder.inputs[0].shape[-1]))
    return decoder([z, captions], training=False).numpy().astype(np.float32)
