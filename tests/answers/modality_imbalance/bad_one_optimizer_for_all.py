"""Bug: every part is updated with the head's optimizer, so the per-modality learning rates are ignored."""

import tensorflow as tf
from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_cross_entropy_to_each_part",)


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    variables = encoders["image"].trainable_variables + encoders["text"].trainable_variables + head.trainable_variables
    with tf.GradientTape() as tape:
        features = ops.concatenate([encoders[m](inputs[m], training=True) for m in MODALITIES], axis=-1)  # noqa: F821
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.cast(labels, tf.int32), head(features, training=True))
        w = tf.ones_like(losses) if weights is None else tf.cast(weights, tf.float32)
        loss = tf.reduce_sum(w * losses) / tf.reduce_sum(w)
    optimizers["head"].apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
