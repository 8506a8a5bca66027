"""Bug: train_step multiplies the whole gradient, head included, by the dominant modality's coefficient."""

import tensorflow as tf
from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_applies_the_weighted_loss_and_modulates_only_the_encoders",)


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    parts = {m: encoders[m].trainable_variables for m in MODALITIES}  # noqa: F821
    parts["head"] = head.trainable_variables
    with tf.GradientTape() as tape:
        features = ops.concatenate([encoders[m](inputs[m], training=True) for m in MODALITIES], axis=-1)  # noqa: F821
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(labels, tf.int32), head(features, training=True))
        w = tf.ones_like(losses) if weights is None else tf.cast(weights, tf.float32)
        loss = tf.reduce_sum(w * losses) / tf.reduce_sum(w)
    scale = 1.0 if modulation is None else min(modulation.values())
    grads = tape.gradient(loss, parts)
    for name, variables in parts.items():
        optimizers[name].apply_gradients([(tf.convert_to_tensor(g) * scale, v) for g, v in zip(grads[name], variables)])
    return loss
