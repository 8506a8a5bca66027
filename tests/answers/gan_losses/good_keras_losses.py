"""GAN losses on top of keras.losses.binary_crossentropy(from_logits=True).

keras' functional BCE averages over the last axis, so each logit is given its own
trailing axis of size 1 and the element-wise result keeps the logits' shape.
"""

from __future__ import annotations

import keras
from keras import ops


def sigmoid_cross_entropy(logits, targets):
    """Element-wise binary cross-entropy from logits, stable for large |logits|."""
    logits = ops.cast(logits, "float32")
    targets = ops.cast(targets, "float32") + ops.zeros_like(logits)
    per_element = keras.losses.binary_crossentropy(
        ops.expand_dims(targets, -1), ops.expand_dims(logits, -1), from_logits=True
    )
    return ops.cast(per_element, "float32")


def _mean_bce(logits, target_value):
    logits = ops.reshape(ops.cast(logits, "float32"), (-1,))
    targets = ops.full(ops.shape(logits), target_value, dtype="float32")
    return ops.mean(sigmoid_cross_entropy(logits, targets))


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean cross-entropy of real logits vs 1 - real_smoothing plus fake logits vs 0."""
    return _mean_bce(real_logits, 1.0 - float(real_smoothing)) + _mean_bce(fake_logits, 0.0)


def generator_loss(fake_logits):
    """Non-saturating generator loss: mean cross-entropy of fake logits vs 1."""
    return _mean_bce(fake_logits, 1.0)
