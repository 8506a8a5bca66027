"""Bug: padded positions are masked out of the sum but still counted in the denominator
(sum over real tokens / all positions), so the loss shrinks with the amount of padding."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_masked_loss_is_the_mean_over_real_tokens",)


def masked_loss(targets, logits):
    targets = ops.cast(targets, "int32")
    per_token = ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    mask = ops.cast(ops.not_equal(targets, 0), per_token.dtype)
    return ops.mean(per_token * mask)
