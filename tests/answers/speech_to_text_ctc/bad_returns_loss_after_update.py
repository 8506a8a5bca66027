"""Bug: train_step returns the loss before the update; this one recomputes it after the update."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_train_step_applies_one_update_of_the_mean_ctc_loss',)


def train_step(model, optimizer, audio, labels):
    audio, labels = tf.convert_to_tensor(audio, tf.float32), tf.convert_to_tensor(labels, tf.int32)  # noqa: F821
    features = spectrogram(audio)
    with tf.GradientTape() as tape:  # noqa: F821
        logits = model(features, training=True)
        frames = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])  # noqa: F821
        loss = tf.reduce_mean(ctc_loss(labels, logits, frames))  # noqa: F821
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return tf.reduce_mean(ctc_loss(labels, model(features, training=False), frames))  # noqa: F821
