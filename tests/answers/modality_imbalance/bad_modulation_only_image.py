"""Bug: train_step must multiply each encoder's gradient by modulation[m]; this answer applies the coefficient to the image encoder only and updates the text encoder unscaled."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_train_step_applies_the_weighted_loss_and_modulates_only_the_encoders",)


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    labels = tf.convert_to_tensor(labels, tf.int32)  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        logits = head(ops.concatenate(_features(encoders, inputs, True), axis=-1), training=True)  # noqa: F821
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)  # noqa: F821
        w = tf.ones_like(losses) if weights is None else tf.convert_to_tensor(weights, tf.float32)  # noqa: F821
        loss = tf.reduce_sum(w * losses) / tf.reduce_sum(w)  # noqa: F821
    parts = {m: encoders[m].trainable_variables for m in MODALITIES}  # noqa: F821
    parts["head"] = head.trainable_variables
    grads = tape.gradient(loss, parts)
    for name, variables in parts.items():
        scale = float(modulation[name]) if modulation is not None and name == "image" else 1.0
        optimizers[name].apply_gradients([(tf.convert_to_tensor(g) * scale, v) for g, v in zip(grads[name], variables)])  # noqa: F821
    return loss
