"""Bug: the loss averages the cross-entropy over every position, padding included, so the model
is also trained to predict <pad> and short captions weigh less than long ones."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_masked_loss_is_the_mean_over_real_tokens", "test_masked_loss_ignores_logits_at_padded_positions")


def masked_loss(targets, logits):
    return ops.mean(ops.sparse_categorical_crossentropy(ops.cast(targets, "int32"), logits, from_logits=True))
