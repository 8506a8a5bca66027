"""A text-conditioned GAN in the style of the TensorFlow DCGAN tutorial.

Generator: Dense -> BatchNormalization -> LeakyReLU -> Conv2DTranspose stacks (with
BatchNormalization and LeakyReLU) -> tanh. Discriminator: Conv2D -> LeakyReLU -> Dropout.
Both read the caption through their own text encoder. Losses use
keras.losses.BinaryCrossentropy(from_logits=True).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

NOISE_DIM = 16
TEXT_DIM = 32

_cross_entropy = keras.losses.BinaryCrossentropy(from_logits=True)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, length) -> caption vector (batch, dim), averaging non-padding tokens."""
    tokens = keras.Input(shape=(None,), dtype="int32")
    x = layers.Embedding(vocab_size, dim, mask_zero=True)(tokens)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(dim)(x)
    x = layers.LeakyReLU(0.2)(x)
    return keras.Model(tokens, x, name="caption_encoder")


def build_generator(vocab_size: int, noise_dim: int = NOISE_DIM) -> keras.Model:
    """[z, captions] -> images (batch, 28, 28, 1) in [-1, 1]."""
    z = keras.Input(shape=(noise_dim,), name="z")
    tokens = keras.Input(shape=(None,), dtype="int32", name="captions")
    x = layers.Concatenate()([z, build_text_encoder(vocab_size)(tokens)])
    x = layers.Dense(7 * 7 * 64, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Reshape((7, 7, 64))(x)
    x = layers.Conv2DTranspose(32, 5, strides=1, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    x = layers.Conv2DTranspose(16, 5, strides=2, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.LeakyReLU()(x)
    images = layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh")(x)
    return keras.Model([z, tokens], images, name="dcgan_generator")


def build_discriminator(vocab_size: int) -> keras.Model:
    """[images, captions] -> one logit per example, shape (batch, 1)."""
    images = keras.Input(shape=(28, 28, 1), name="images")
    tokens = keras.Input(shape=(None,), dtype="int32", name="captions")
    x = layers.Conv2D(32, 5, strides=2, padding="same")(images)
    x = layers.LeakyReLU()(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Conv2D(64, 5, strides=2, padding="same")(x)
    x = layers.LeakyReLU()(x)
    x = layers.Dropout(0.3)(x)
    x = layers.Flatten()(x)
    x = layers.Concatenate()([x, build_text_encoder(vocab_size)(tokens)])
    x = layers.Dense(64)(x)
    x = layers.LeakyReLU()(x)
    logits = layers.Dense(1)(x)
    return keras.Model([images, tokens], logits, name="dcgan_discriminator")


def discriminator_loss(real_output, fake_output, real_smoothing=0.0):
    real_loss = _cross_entropy(tf.ones_like(real_output) * (1.0 - real_smoothing), real_output)
    fake_loss = _cross_entropy(tf.zeros_like(fake_output), fake_output)
    return real_loss + fake_loss


def generator_loss(fake_output):
    return _cross_entropy(tf.ones_like(fake_output), fake_output)


def discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """One update of D on real and generated images; G is only read. Returns d_loss."""
    generated_images = generator([z, captions], training=True)
    with tf.GradientTape() as disc_tape:
        real_output = discriminator([real_images, captions], training=True)
        fake_output = discriminator([generated_images, captions], training=True)
        disc_loss = discriminator_loss(real_output, fake_output, real_smoothing)
    gradients = disc_tape.gradient(disc_loss, discriminator.trainable_variables)
    d_optimizer.apply_gradients(zip(gradients, discriminator.trainable_variables))
    return disc_loss


def generator_step(generator, discriminator, g_optimizer, captions, z):
    """One update of G so that D calls its images real; D is only read. Returns g_loss."""
    with tf.GradientTape() as gen_tape:
        generated_images = generator([z, captions], training=True)
        fake_output = discriminator([generated_images, captions], training=True)
        gen_loss = generator_loss(fake_output)
    gradients = gen_tape.gradient(gen_loss, generator.trainable_variables)
    g_optimizer.apply_gradients(zip(gradients, generator.trainable_variables))
    return gen_loss


def train_step(generator, discriminator, g_optimizer, d_optimizer, real_images, captions, z, real_smoothing=0.0):
    """A discriminator step, then a generator step, with the same noise: {"d_loss", "g_loss"}."""
    d_loss = discriminator_step(generator, discriminator, d_optimizer, real_images, captions, z, real_smoothing)
    g_loss = generator_step(generator, discriminator, g_optimizer, captions, z)
    return {"d_loss": d_loss, "g_loss": g_loss}


def sample(generator, captions, seed: int = 0) -> np.ndarray:
    """Images for captions from seeded standard-normal noise, as a numpy array in [-1, 1]."""
    captions = tf.convert_to_tensor(np.asarray(captions, dtype=np.int32))
    noise_dim = int(generator.inputs[0].shape[-1])
    z = tf.random.stateless_normal((int(captions.shape[0]), noise_dim), seed=[seed, 0], dtype=tf.float32)
    return np.asarray(generator([z, captions], training=False), dtype=np.float32)
