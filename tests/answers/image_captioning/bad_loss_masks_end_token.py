"""Bug: masked_loss averages over the positions whose target is not PAD; this answer also masks the <end> targets (keeps only word tokens, target > END), so the model is never taught to stop."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_masked_loss_is_the_mean_over_real_tokens",
    "test_masked_loss_matches_the_contract_in_values_and_gradients",
)


def masked_loss(targets, logits):
    targets = ops.cast(targets, "int32")
    per_token = ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    mask = ops.cast(ops.greater(targets, END), per_token.dtype)
    return ops.sum(per_token * mask) / ops.maximum(ops.sum(mask), 1.0)
