"""Bug: the caption loss treats the head's logits as probabilities (from_logits left at False)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_task_losses_match_their_formulas",)


def task_losses(model, images, captions, training=False):
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = ops.mean(ops.square(predicted - image_targets(images)))  # noqa: F821
    logits = model.caption_logits_from_image(images, training=training)
    caption_loss = ops.mean(ops.sparse_categorical_crossentropy(captions, logits))
    return feature_loss, caption_loss
