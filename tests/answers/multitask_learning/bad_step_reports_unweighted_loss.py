"""Bug: train_step's 'loss' is the weighted loss weighting([feature_loss, caption_loss]) that it optimises; this answer optimises that but reports the plain sum feature_loss + caption_loss as 'loss'."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_weighted_loss",)


def train_step(model, weighting, optimizer, images, captions):
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": feature_loss + caption_loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
