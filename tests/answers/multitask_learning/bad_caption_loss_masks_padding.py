"""Bug: caption_loss is the mean sparse cross-entropy over every position, padding included; this answer masks out padding positions (id 0) and averages over the real tokens only."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_task_losses_match_the_contract_on_edge_cases", "test_task_losses_match_their_formulas")


def task_losses(model, images, captions, training=False):
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = ops.mean(ops.square(predicted - image_targets(images)))
    logits = model.caption_logits_from_image(images, training=training)
    per_token = ops.sparse_categorical_crossentropy(captions, logits, from_logits=True)
    mask = ops.cast(ops.not_equal(captions, 0), "float32")
    caption_loss = ops.sum(per_token * mask) / ops.maximum(ops.sum(mask), 1.0)
    return feature_loss, caption_loss
