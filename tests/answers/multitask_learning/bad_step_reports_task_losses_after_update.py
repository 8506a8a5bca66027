"""Bug: train_step returns feature_loss and caption_loss computed with training=True before the update; this answer recomputes the two task losses after applying the gradients and reports those."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_weighted_loss",)


def train_step(model, weighting, optimizer, images, captions):
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    feature_loss, caption_loss = task_losses(model, images, captions, training=True)
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
