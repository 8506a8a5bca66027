"""Bug: train_step computes the task losses with training=True; this answer calls task_losses with its default training=False, so dropout/batch-norm models train in inference mode."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_weighted_loss",)


def train_step(model, weighting, optimizer, images, captions):
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions)
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
