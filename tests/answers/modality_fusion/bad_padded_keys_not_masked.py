"""Bug: the key mask is accepted but never applied, so padding tokens take part in the attention."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = (
    "test_attention_gives_padded_keys_zero_weight",
    "test_attention_matches_the_reference_on_random_and_edge_cases",
    "test_cross_attention_fusion_ignores_padded_context",
    "test_self_attention_fusion_ignores_padded_tokens_of_b",
)


def attention(queries, keys, values, key_mask=None):
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, values), weights
