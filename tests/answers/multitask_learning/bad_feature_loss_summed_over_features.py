"""Bug: feature_loss is the mean squared error (mean over batch and the 49 features); this answer sums the squared error over the features and averages over the batch only."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_task_losses_match_the_contract_on_edge_cases", "test_task_losses_match_their_formulas")


def task_losses(model, images, captions, training=False):
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = ops.mean(ops.sum(ops.square(predicted - image_targets(images)), axis=-1))
    logits = model.caption_logits_from_image(images, training=training)
    caption_loss = ops.mean(ops.sparse_categorical_crossentropy(captions, logits, from_logits=True))
    return feature_loss, caption_loss
