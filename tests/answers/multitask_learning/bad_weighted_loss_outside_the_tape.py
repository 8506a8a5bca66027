"""Bug: the weighted loss is computed after the GradientTape block has closed, so the tape never saw the weighting and
the step has no gradient to apply: neither the model nor the log-variances can learn."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_weighted_loss", "test_training_lowers_both_task_losses")


def train_step(model, weighting, optimizer, images, captions):
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)  # noqa: F821
    loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
