"""Bug: train_step's head must see concatenate([encoders[m](inputs[m]) for m in MODALITIES]) i.e. image features then text features; this answer concatenates them in reverse order (text first)."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_cross_entropy_to_each_part",)


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    labels = tf.convert_to_tensor(labels, tf.int32)  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        logits = head(ops.concatenate(_features(encoders, inputs, True)[::-1], axis=-1), training=True)  # noqa: F821
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)  # noqa: F821
        w = tf.ones_like(losses) if weights is None else tf.convert_to_tensor(weights, tf.float32)  # noqa: F821
        loss = tf.reduce_sum(w * losses) / tf.reduce_sum(w)  # noqa: F821
    parts = {m: encoders[m].trainable_variables for m in MODALITIES}  # noqa: F821
    parts["head"] = head.trainable_variables
    grads = tape.gradient(loss, parts)
    for name, variables in parts.items():
        scale = 1.0 if modulation is None or name == "head" else float(modulation[name])
        optimizers[name].apply_gradients([(tf.convert_to_tensor(g) * scale, v) for g, v in zip(grads[name], variables)])  # noqa: F821
    return loss
