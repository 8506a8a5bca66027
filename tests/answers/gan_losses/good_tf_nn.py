"""A sound alternative: TensorFlow's fused sigmoid cross-entropy and tf.reduce_mean, written independently."""

import tensorflow as tf


def sigmoid_cross_entropy(logits, targets):
    logits = tf.cast(logits, tf.float32)
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.cast(targets, tf.float32) + tf.zeros_like(logits), logits=logits)


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    real_logits, fake_logits = tf.cast(real_logits, tf.float32), tf.cast(fake_logits, tf.float32)
    real = tf.reduce_mean(sigmoid_cross_entropy(real_logits, tf.fill(tf.shape(real_logits), 1.0 - real_smoothing)))
    return real + tf.reduce_mean(sigmoid_cross_entropy(fake_logits, tf.zeros_like(fake_logits)))


def generator_loss(fake_logits):
    fake_logits = tf.cast(fake_logits, tf.float32)
    return tf.reduce_mean(sigmoid_cross_entropy(fake_logits, tf.ones_like(fake_logits)))
