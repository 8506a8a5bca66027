"""A text-conditioned GAN with subclassed keras.Model networks and compiled (tf.function) steps.

Text encoder: embedding, masked mean over real tokens, Dense. Generator: MLP + upsampling.
Discriminator: a projection discriminator, logit = psi(h) + <embed(text), h>, so the
caption enters the logit directly. Losses from tf.nn.sigmoid_cross_entropy_with_logits.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

NOISE_DIM = 16
TEXT_DIM = 32


class TextEncoder(keras.Model):
    def __init__(self, vocab_size, dim=TEXT_DIM, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab_size, dim)
        self.proj = layers.Dense(dim, activation="tanh")

    def call(self, tokens, training=False):
        tokens = tf.cast(tokens, tf.int32)
        mask = tf.cast(tf.not_equal(tokens, 0), tf.float32)[..., None]
        summed = tf.reduce_sum(self.embed(tokens) * mask, axis=1)
        mean = summed / tf.maximum(tf.reduce_sum(mask, axis=1), 1.0)
        return self.proj(mean)


class Generator(keras.Model):
    def __init__(self, vocab_size, noise_dim=NOISE_DIM, **kwargs):
        super().__init__(**kwargs)
        self.noise_dim = noise_dim
        self.text = TextEncoder(vocab_size)
        self.fc1 = layers.Dense(128, activation="relu")
        self.fc2 = layers.Dense(14 * 14 * 8, activation="relu")
        self.up = layers.UpSampling2D()
        self.conv = layers.Conv2D(16, 3, padding="same", activation="relu")
        self.out = layers.Conv2D(1, 3, padding="same")

    def call(self, inputs, training=False):
        z, tokens = inputs
        h = tf.concat([tf.cast(z, tf.float32), self.text(tokens, training=training)], axis=-1)
        h = tf.reshape(self.fc2(self.fc1(h)), (-1, 14, 14, 8))
        return tf.tanh(self.out(self.conv(self.up(h))))


class ProjectionDiscriminator(keras.Model):
    def __init__(self, vocab_size, width=64, **kwargs):
        super().__init__(**kwargs)
        self.text = TextEncoder(vocab_size)
        self.c1 = layers.Conv2D(16, 3, strides=2, padding="same")
        self.c2 = layers.Conv2D(32, 3, strides=2, padding="same")
        self.flat = layers.Flatten()
        self.feat = layers.Dense(width)
        self.psi = layers.Dense(1)
        self.text_proj = layers.Dense(width, use_bias=False)

    def call(self, inputs, training=False):
        images, tokens = inputs
        h = tf.nn.leaky_relu(self.c1(images), 0.2)
        h = tf.nn.leaky_relu(self.c2(h), 0.2)
        h = tf.nn.leaky_relu(self.feat(self.flat(h)), 0.2)
        t = self.text_proj(self.text(tokens, training=training))
        return self.psi(h) + tf.reduce_sum(h * t, axis=-1, keepdims=True)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, length) -> caption vector (batch, dim)."""
    encoder = TextEncoder(vocab_size, dim)
    encoder(tf.zeros((1, 2), tf.int32))  # create the weights now
    return encoder


def build_generator(vocab_size: int, noise_dim: int = NOISE_DIM) -> keras.Model:
    """[z, captions] -> images (batch, 28, 28, 1) in [-1, 1]."""
    generator = Generator(vocab_size, noise_dim)
    generator([tf.zeros((1, noise_dim)), tf.zeros((1, 2), tf.int32)])
    return generator


def build_discriminator(vocab_size: int) -> keras.Model:
    """[images, captions] -> one logit per example, shape (batch, 1)."""
    discriminator = ProjectionDiscriminator(vocab_size)
    discriminator([tf.zeros((1, 28, 28, 1)), tf.zeros((1, 2), tf.int32)])
    return discriminator


def _bce(logits, target):
    return tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.fill(tf.shape(logits), target), logits=logits))


def _ensure_built(optimizer, variables):
    if not optimizer.built:
        optimizer.build(variables)


@tf.function(reduce_retracing=True)
def _d_update(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing):
    fakes = generator([z, captions], training=True)
    with tf.GradientTape() as tape:
        real_logits = discriminator([real_images, captions], training=True)
        fake_logits = discriminator([fakes, captions], training=True)
        loss = _bce(real_logits, 1.0 - real_smoothing) + _bce(fake_logits, tf.constant(0.0))
    variables = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


@tf.function(reduce_retracing=True)
def _g_update(generator, discriminator, g_optimizer, captions, z):
    with tf.GradientTape() as tape:
        logits = discriminator([generator([z, captions], training=True), captions], training=True)
        loss = _bce(logits, tf.constant(1.0))
    variables = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """One update of D on real and generated images; G is only read. Returns d_loss."""
    _ensure_built(d_optimizer, discriminator.trainable_variables)
    return _d_update(generator, discriminator, d_optimizer,
                     tf.convert_to_tensor(real_images, tf.float32), tf.convert_to_tensor(captions, tf.int32),
                     tf.convert_to_tensor(z, tf.float32), tf.convert_to_tensor(real_smoothing, tf.float32))


def generator_step(generator, discriminator, g_optimizer, captions, z):
    """One update of G so that D calls its images real; D is only read. Returns g_loss."""
    _ensure_built(g_optimizer, generator.trainable_variables)
    return _g_update(generator, discriminator, g_optimizer,
                     tf.convert_to_tensor(captions, tf.int32), tf.convert_to_tensor(z, tf.float32))


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """A discriminator step, then a generator step, with the same noise: {"d_loss", "g_loss"}."""
    d_loss = discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing)
    g_loss = generator_step(generator, discriminator, g_optimizer, captions, z)
    return {"d_loss": d_loss, "g_loss": g_loss}


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    """Images for captions from seeded standard-normal noise, as a numpy array in [-1, 1]."""
    captions = np.asarray(captions, dtype=np.int32)
    z = np.random.RandomState(seed).randn(len(captions), generator.noise_dim).astype(np.float32)
    images = generator([tf.constant(z), tf.constant(captions)], training=False)
    return np.asarray(images, dtype=np.float32)
