"""Bug: the training step computes the loss and its gradients but never hands them to the optimizer,
so the weights never change and the loss never falls."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_train_step_applies_one_update_of_the_teacher_forced_masked_loss", "test_loss_falls_when_overfitting_one_batch")


def train_step(captioner, optimizer, images, captions):
    inputs, targets = teacher_forcing(tf.convert_to_tensor(captions, tf.int32))  # noqa: F821
    with tf.GradientTape() as tape:
        loss = masked_loss(targets, captioner([tf.convert_to_tensor(images, tf.float32), inputs], training=True))  # noqa: F821
    tape.gradient(loss, captioner.trainable_variables)
    return loss
