"""Bug: train_step must work for any encoders, an Embedding text encoder included; this answer multiplies
each encoder gradient by its modulation coefficient as it comes from the tape, and an Embedding's gradient
is a tf.IndexedSlices, which does not support `*`: the step raises TypeError whenever the text encoder
has an Embedding (even with modulation=None, where the coefficient is 1.0)."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_cross_entropy_to_each_part",)


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    labels = tf.cast(tf.convert_to_tensor(labels), tf.int32)
    w = tf.ones(tf.shape(labels), tf.float32) if weights is None else tf.cast(tf.convert_to_tensor(weights), tf.float32)
    with tf.GradientTape() as tape:
        z = tf.concat([encoders[m](inputs[m], training=True) for m in MODALITIES], axis=-1)  # noqa: F821
        ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=head(z, training=True))
        loss = tf.reduce_sum(w * ce) / tf.reduce_sum(w)
    variables = [encoders[m].trainable_variables for m in MODALITIES] + [head.trainable_variables]  # noqa: F821
    grads = tape.gradient(loss, variables)
    for m, g in zip(MODALITIES, grads):  # noqa: F821
        c = 1.0 if modulation is None else float(modulation[m])
        optimizers[m].apply_gradients([(gi * c, v) for gi, v in zip(g, encoders[m].trainable_variables)])
    optimizers["head"].apply_gradients(list(zip(grads[-1], head.trainable_variables)))
    return loss
