"""Bug: the softmax normalises over the queries axis (axis 1) instead of the attended keys (the last axis)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = (
    "test_attention_matches_the_reference_on_random_and_edge_cases",
    "test_attention_matches_a_hand_computed_case",
    "test_cross_attention_fusion_weights_sum_to_one_over_the_context",
    "test_self_attention_fusion_attends_over_the_joint_sequence",
)


def attention(queries, keys, values, key_mask=None):
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    if key_mask is not None:
        scores = ops.where(ops.expand_dims(ops.cast(key_mask, "bool"), 1), scores, -1e9)
    weights = ops.softmax(scores, axis=1)
    return ops.matmul(weights, values), weights
