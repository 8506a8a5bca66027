"""Bug: train_step updates all trainable variables; this one skips the first two (the input LayerNormalization gamma and beta), as if only the convolutions and head needed training."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_train_step_applies_one_update_of_the_mean_ctc_loss',)


def train_step(model, optimizer, audio, labels):
    audio, labels = tf.convert_to_tensor(audio, tf.float32), tf.convert_to_tensor(labels, tf.int32)  # noqa: F821
    features = spectrogram(audio)
    variables = model.trainable_variables[2:]
    with tf.GradientTape() as tape:  # noqa: F821
        logits = model(features, training=True)
        frames = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])  # noqa: F821
        loss = tf.reduce_mean(ctc_loss(labels, logits, frames))  # noqa: F821
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss
