"""Bug: the training step gets its prediction from synthesize(), which returns NumPy: the tape sees no
path from the loss to the weights, so there are no gradients and nothing is learned."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_stft_loss", "test_loss_falls_while_training")


def train_step(model, optimizer, tokens, target_audio):
    with tf.GradientTape() as tape:
        predicted = tf.constant(synthesize(model, tokens))  # noqa: F821
        loss = multi_resolution_stft_loss(tf.convert_to_tensor(target_audio, tf.float32), predicted)  # noqa: F821
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss
