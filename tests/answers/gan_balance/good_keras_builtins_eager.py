"""Sound answer: Keras built-ins (keras.ops.binary_crossentropy, SpectralNormalization on every
weight layer), BatchNormalization in the generator, Dropout in the discriminator, eager steps."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

NOISE_DIM = 16
OVERPOWERING = 0.95
COLLAPSED = 0.55
WINDOW = 20


@dataclass(frozen=True)
class BalanceConfig:
    """The balancing knobs of one training run."""

    d_steps: int = 1
    real_smoothing: float = 0.0
    noise_start: float = 0.0
    noise_decay_steps: int = 1000
    gp_weight: float = 0.0
    batch_size: int = 16


def build_generator(noise_dim: int = NOISE_DIM) -> keras.Model:
    z = keras.Input(shape=(noise_dim,), name="z")
    x = layers.Dense(7 * 7 * 16, use_bias=False)(z)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.Reshape((7, 7, 16))(x)
    x = layers.UpSampling2D()(x)
    x = layers.Conv2D(16, 3, padding="same", use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.UpSampling2D()(x)
    x = layers.Conv2D(1, 3, padding="same")(x)
    images = layers.Activation("tanh")(x)
    return keras.Model(z, images, name="bn_generator")


def build_discriminator(spectral_norm: bool = False) -> keras.Model:
    def weighted(layer):
        return layers.SpectralNormalization(layer) if spectral_norm else layer

    images = keras.Input(shape=(28, 28, 1), name="images")
    x = weighted(layers.Conv2D(16, 3, strides=2, padding="same"))(images)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.25)(x)
    x = weighted(layers.Conv2D(32, 3, strides=2, padding="same"))(x)
    x = layers.LeakyReLU(0.2)(x)
    x = layers.Dropout(0.25)(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = weighted(layers.Dense(16))(x)
    x = layers.LeakyReLU(0.2)(x)
    logits = weighted(layers.Dense(1))(x)
    return keras.Model(images, logits, name="dropout_discriminator")


def _bce_mean(logits, target):
    logits = ops.cast(logits, "float32")
    target = ops.full_like(logits, target)
    return ops.mean(ops.binary_crossentropy(target, logits, from_logits=True))


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    return _bce_mean(real_logits, 1.0 - real_smoothing) + _bce_mean(fake_logits, 0.0)


def instance_noise_std(step: int, start: float, decay_steps: int) -> float:
    return float(start * max(0.0, 1.0 - step / decay_steps))


def add_instance_noise(images, std):
    images = ops.convert_to_tensor(images, "float32")
    if isinstance(std, (int, float)) and std == 0:
        return images
    return images + std * keras.random.normal(ops.shape(images))


def interpolate(real, fake):
    real = ops.convert_to_tensor(real, "float32")
    fake = ops.convert_to_tensor(fake, "float32")
    alpha = keras.random.uniform((ops.shape(real)[0], 1, 1, 1), 0.0, 1.0)
    return fake + alpha * (real - fake)


def gradient_penalty(discriminator, real, fake):
    x = interpolate(real, fake)
    with tf.GradientTape() as tape:
        tape.watch(x)
        logit = discriminator(x, training=True)
    grad = tape.gradient(logit, x)
    flat = ops.reshape(grad, (ops.shape(grad)[0], -1))
    norm = ops.sqrt(ops.sum(flat * flat, axis=1) + 1e-12)
    return ops.mean((norm - 1.0) ** 2)


def discriminator_step(generator, discriminator, d_optimizer, real_images, z,
                       real_smoothing=0.0, noise_std=0.0, gp_weight=0.0) -> dict:
    real_images = tf.convert_to_tensor(real_images, tf.float32)
    z = tf.convert_to_tensor(z, tf.float32)
    fake_images = tf.stop_gradient(generator(z, training=True))
    with tf.GradientTape() as tape:
        real_logits = discriminator(add_instance_noise(real_images, noise_std), training=True)
        fake_logits = discriminator(add_instance_noise(fake_images, noise_std), training=True)
        loss = discriminator_loss(real_logits, fake_logits, real_smoothing)
        if gp_weight:
            gp = gradient_penalty(discriminator, real_images, fake_images)
            loss = loss + gp_weight * gp
        else:
            gp = tf.constant(0.0)
    variables = discriminator.trainable_variables
    d_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    hits = ops.concatenate([ops.cast(real_logits > 0, "float32"), ops.cast(fake_logits < 0, "float32")], axis=0)
    return {"loss": loss, "gp": gp, "accuracy": ops.mean(hits)}


def generator_step(generator, discriminator, g_optimizer, z, noise_std=0.0):
    z = tf.convert_to_tensor(z, tf.float32)
    with tf.GradientTape() as tape:
        fake_logits = discriminator(add_instance_noise(generator(z, training=True), noise_std), training=True)
        loss = _bce_mean(fake_logits, 1.0)
    variables = generator.trainable_variables
    g_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def train(generator, discriminator, g_optimizer, d_optimizer, images, steps: int,
          config: BalanceConfig = BalanceConfig(), seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    data = np.asarray(images, dtype=np.float32)
    noise_dim = int(generator.inputs[0].shape[-1])
    history = {key: [] for key in ("d_loss", "d_accuracy", "g_loss", "noise_std")}
    for step in range(steps):
        std = instance_noise_std(step, config.noise_start, config.noise_decay_steps)
        losses, accs = [], []
        for _ in range(config.d_steps):
            idx = rng.choice(len(data), size=config.batch_size, replace=True)
            z = rng.normal(size=(config.batch_size, noise_dim)).astype(np.float32)
            out = discriminator_step(generator, discriminator, d_optimizer, tf.constant(data[idx]), tf.constant(z),
                                     config.real_smoothing, std, config.gp_weight)
            losses.append(float(out["loss"]))
            accs.append(float(out["accuracy"]))
        z = rng.normal(size=(config.batch_size, noise_dim)).astype(np.float32)
        g_loss = generator_step(generator, discriminator, g_optimizer, tf.constant(z), std)
        history["d_loss"].append(statistics.fmean(losses))
        history["d_accuracy"].append(statistics.fmean(accs))
        history["g_loss"].append(float(g_loss))
        history["noise_std"].append(std)
    return history


def diagnose(d_accuracies, window: int = WINDOW) -> str:
    recent = list(d_accuracies)[-window:]
    level = statistics.fmean(recent)
    if level >= OVERPOWERING:
        return "overpowering"
    if level <= COLLAPSED:
        return "collapsing"
    return "balanced"
