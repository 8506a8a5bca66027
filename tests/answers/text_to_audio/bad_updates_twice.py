"""Bug: train_step makes one update; this one applies the same gradients twice."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_stft_loss",)


def train_step(model, optimizer, tokens, target_audio):
    tokens, target_audio = tf.convert_to_tensor(tokens, tf.int32), tf.convert_to_tensor(target_audio, tf.float32)  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        loss = multi_resolution_stft_loss(target_audio, model(tokens, training=True))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
