"""A text-conditioned VAE written from the docstring: subclassed keras.Model networks with
BatchNormalization and Dropout, keras.losses.binary_crossentropy, stateless seeded sampling."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

LATENT_DIM = 8
TEXT_DIM = 16
_EPS = 1e-7


def reparameterize(mu, logvar):
    mu = tf.cast(mu, tf.float32)
    logvar = tf.cast(logvar, tf.float32)
    noise = tf.random.normal(tf.shape(mu), dtype=tf.float32)
    return mu + tf.exp(logvar / 2.0) * noise


def kl_divergence(mu, logvar):
    mu = tf.cast(mu, tf.float32)
    logvar = tf.cast(logvar, tf.float32)
    per_dim = tf.exp(logvar) + tf.square(mu) - 1.0 - logvar
    return 0.5 * tf.reduce_sum(per_dim, axis=-1)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    images = tf.cast(images, tf.float32)
    reconstructions = tf.clip_by_value(tf.cast(reconstructions, tf.float32), _EPS, 1.0 - _EPS)
    batch = tf.shape(images)[0]
    flat_x = tf.reshape(images, (batch, -1, 1))
    flat_r = tf.reshape(reconstructions, (batch, -1, 1))
    # keras' BCE averages over the last axis (size 1 here), so it is the per-pixel value.
    per_pixel = keras.losses.binary_crossentropy(flat_x, flat_r)
    reconstruction = tf.reduce_mean(tf.reduce_sum(per_pixel, axis=1))
    kl = tf.reduce_mean(kl_divergence(mu, logvar))
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}


class CaptionEmbedding(layers.Layer):
    """Masked mean of token embeddings followed by a small projection."""

    def __init__(self, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab_size, TEXT_DIM)
        self.proj = layers.Dense(32, activation="gelu")

    def call(self, tokens):
        tokens = tf.cast(tokens, tf.int32)
        mask = tf.cast(tf.not_equal(tokens, 0), tf.float32)[..., None]
        summed = tf.reduce_sum(self.embed(tokens) * mask, axis=1)
        mean = summed / tf.maximum(tf.reduce_sum(mask, axis=1), 1.0)
        return self.proj(mean)


class Encoder(keras.Model):
    def __init__(self, vocab_size, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.text = CaptionEmbedding(vocab_size)
        self.conv1 = layers.Conv2D(16, 3, strides=2, padding="same")
        self.bn1 = layers.BatchNormalization(momentum=0.9)
        self.conv2 = layers.Conv2D(32, 3, strides=2, padding="same")
        self.bn2 = layers.BatchNormalization(momentum=0.9)
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(128, activation="relu")
        self.drop = layers.Dropout(0.1)
        self.mu = layers.Dense(latent_dim)
        self.logvar = layers.Dense(latent_dim)

    def call(self, inputs, training=False):
        images, captions = inputs
        x = tf.nn.leaky_relu(self.bn1(self.conv1(images), training=training), 0.2)
        x = tf.nn.leaky_relu(self.bn2(self.conv2(x), training=training), 0.2)
        x = tf.concat([self.flatten(x), self.text(captions)], axis=-1)
        x = self.drop(self.hidden(x), training=training)
        return [self.mu(x), self.logvar(x)]


class Decoder(keras.Model):
    def __init__(self, vocab_size, latent_dim, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = latent_dim
        self.text = CaptionEmbedding(vocab_size)
        self.fc = layers.Dense(7 * 7 * 16)
        self.bn0 = layers.BatchNormalization(momentum=0.9)
        self.up1 = layers.Conv2DTranspose(16, 3, strides=2, padding="same")
        self.bn1 = layers.BatchNormalization(momentum=0.9)
        self.up2 = layers.Conv2DTranspose(16, 3, strides=2, padding="same")
        self.bn2 = layers.BatchNormalization(momentum=0.9)
        self.out = layers.Conv2D(1, 3, padding="same")

    def call(self, inputs, training=False):
        z, captions = inputs
        x = tf.concat([tf.cast(z, tf.float32), self.text(captions)], axis=-1)
        x = tf.nn.relu(self.bn0(self.fc(x), training=training))
        x = tf.reshape(x, (-1, 7, 7, 16))
        x = tf.nn.relu(self.bn1(self.up1(x), training=training))
        x = tf.nn.relu(self.bn2(self.up2(x), training=training))
        return tf.sigmoid(self.out(x))


def build_encoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    model = Encoder(vocab_size, latent_dim, name="encoder")
    model([tf.zeros((1, 28, 28, 1)), tf.ones((1, 4), tf.int32)])
    return model


def build_decoder(vocab_size: int, latent_dim: int = LATENT_DIM) -> keras.Model:
    model = Decoder(vocab_size, latent_dim, name="decoder")
    model([tf.zeros((1, latent_dim)), tf.ones((1, 4), tf.int32)])
    return model


def train_step(encoder, decoder, optimizer, images, captions, beta: float = 1.0) -> dict:
    images = tf.cast(images, tf.float32)
    captions = tf.cast(captions, tf.int32)
    with tf.GradientTape() as tape:
        mu, logvar = encoder([images, captions], training=True)
        z = reparameterize(mu, logvar)
        reconstructions = decoder([z, captions], training=True)
        losses = vae_loss(images, reconstructions, mu, logvar, beta)
    params = encoder.trainable_variables + decoder.trainable_variables
    grads = tape.gradient(losses["loss"], params)
    optimizer.apply_gradients(zip(grads, params))
    return losses


def reconstruct(encoder, decoder, images, captions) -> np.ndarray:
    images = tf.cast(images, tf.float32)
    captions = tf.cast(captions, tf.int32)
    mu, _ = encoder([images, captions], training=False)
    return np.asarray(decoder([mu, captions], training=False), dtype=np.float32)


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    captions = tf.cast(captions, tf.int32)
    z = tf.random.stateless_normal((tf.shape(captions)[0], decoder.latent_dim), seed=[int(seed), 0])
    return np.asarray(decoder([z, captions], training=False), dtype=np.float32)
