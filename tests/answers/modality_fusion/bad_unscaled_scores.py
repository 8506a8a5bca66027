"""Bug: the scores are raw dot products, not divided by sqrt(d), so the softmax saturates as d grows."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_attention_matches_a_hand_computed_case",)


def attention(queries, keys, values, key_mask=None):
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1)))
    if key_mask is not None:
        scores = ops.where(ops.expand_dims(ops.cast(key_mask, "bool"), 1), scores, -1e9)
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, values), weights
