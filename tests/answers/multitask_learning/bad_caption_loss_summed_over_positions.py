"""Bug: caption_loss is the mean cross-entropy over every position; this answer sums over the 6 positions and averages over the batch only."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_task_losses_match_the_contract_on_edge_cases", "test_task_losses_match_their_formulas")


def task_losses(model, images, captions, training=False):
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = ops.mean(ops.square(predicted - image_targets(images)))
    logits = model.caption_logits_from_image(images, training=training)
    caption_loss = ops.mean(ops.sum(ops.sparse_categorical_crossentropy(captions, logits, from_logits=True), axis=-1))
    return feature_loss, caption_loss
