"""Bug: masked_loss is the sum over real tokens divided by their count (one mean over all real tokens in the batch); this answer takes the masked mean within each caption and then averages the captions, over-weighting the tokens of short captions."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_masked_loss_is_the_mean_over_real_tokens",
    "test_masked_loss_matches_the_contract_in_values_and_gradients",
)


def masked_loss(targets, logits):
    targets = ops.cast(targets, "int32")
    per_token = ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    mask = ops.cast(ops.not_equal(targets, PAD), per_token.dtype)
    per_caption = ops.sum(per_token * mask, axis=1) / ops.maximum(ops.sum(mask, axis=1), 1.0)
    return ops.mean(per_caption)
