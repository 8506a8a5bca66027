"""Bug: the training step applies gradients to the model's variables only; the log-variances stay at 0."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_weighted_loss",)


def train_step(model, weighting, optimizer, images, captions):
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)  # noqa: F821
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
