"""Bug: the gradients are negated before apply_gradients ("to go downhill"), but the optimizer already
subtracts them: every step climbs the CTC loss."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_loss_falls_while_training", "test_model_reads_held_out_audio")


def train_step(model, optimizer, audio, labels):
    features = spectrogram(tf.convert_to_tensor(audio, tf.float32))  # noqa: F821
    with tf.GradientTape() as tape:
        logits = model(features, training=True)
        loss = tf.reduce_mean(ctc_loss(labels, logits, tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])))  # noqa: F821
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip([-g for g in grads], model.trainable_variables))
    return loss
