"""Bug: train_step takes the plain mean of the cross-entropy and never uses the weights."""

import tensorflow as tf
from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_returns_the_loss_before_the_update", "test_train_step_applies_the_weighted_loss_and_modulates_only_the_encoders")


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    parts = {m: encoders[m].trainable_variables for m in MODALITIES}  # noqa: F821
    parts["head"] = head.trainable_variables
    with tf.GradientTape() as tape:
        features = ops.concatenate([encoders[m](inputs[m], training=True) for m in MODALITIES], axis=-1)  # noqa: F821
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(labels, tf.int32), head(features, training=True)))
    grads = tape.gradient(loss, parts)
    for name, variables in parts.items():
        scale = 1.0 if modulation is None or name == "head" else modulation[name]
        optimizers[name].apply_gradients([(tf.convert_to_tensor(g) * scale, v) for g, v in zip(grads[name], variables)])
    return loss
