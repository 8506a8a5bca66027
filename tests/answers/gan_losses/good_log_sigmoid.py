"""GAN losses written with log-sigmoids: BCE(x, y) = -y log σ(x) - (1 - y) log σ(-x)."""

from __future__ import annotations

import tensorflow as tf


def _as_float32(x):
    return tf.cast(tf.convert_to_tensor(x), tf.float32)


def sigmoid_cross_entropy(logits, targets):
    """Element-wise binary cross-entropy from logits, stable for large |logits|."""
    logits = _as_float32(logits)
    targets = tf.broadcast_to(_as_float32(targets), tf.shape(logits))
    # tf.math.log_sigmoid is computed as -softplus(-x): finite for any x, gradient 1 - σ(x).
    return -targets * tf.math.log_sigmoid(logits) - (1.0 - targets) * tf.math.log_sigmoid(-logits)


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean cross-entropy of real logits vs 1 - real_smoothing plus fake logits vs 0."""
    real_logits, fake_logits = _as_float32(real_logits), _as_float32(fake_logits)
    real_target = tf.fill(tf.shape(real_logits), tf.cast(1.0 - real_smoothing, tf.float32))
    fake_target = tf.zeros_like(fake_logits)
    real_term = tf.reduce_mean(sigmoid_cross_entropy(real_logits, real_target))
    fake_term = tf.reduce_mean(sigmoid_cross_entropy(fake_logits, fake_target))
    return real_term + fake_term


def generator_loss(fake_logits):
    """Non-saturating generator loss: mean cross-entropy of fake logits vs 1."""
    fake_logits = _as_float32(fake_logits)
    return tf.reduce_mean(sigmoid_cross_entropy(fake_logits, tf.ones_like(fake_logits)))
