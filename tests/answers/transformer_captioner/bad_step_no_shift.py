"""Bug: train_step forgets the shift: the targets are captions[:, :-1], the same tokens as the inputs, so the model learns to copy the current token instead of predicting the next one."""

import tensorflow as tf
from keras import ops
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_teacher_forced_masked_loss",)


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    captions = ops.cast(captions, "int32")
    inputs, targets = captions[:, :-1], captions[:, :-1]
    with tf.GradientTape() as tape:
        loss = _masked_loss(targets, captioner([images, inputs], training=True))  # noqa: F821
    gradients = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply_gradients(zip(gradients, captioner.trainable_variables))
    return loss
