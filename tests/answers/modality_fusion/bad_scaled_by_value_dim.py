"""Bug: the contract scales the scores by 1/sqrt(d) with d the query/key size; this answer divides by sqrt of the value
size dv (identical only when dv == d)."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = (
    "test_attention_matches_a_hand_computed_case",
    "test_attention_matches_the_reference_on_random_and_edge_cases",
)


def attention(queries, keys, values, key_mask=None):
    queries = ops.convert_to_tensor(queries, dtype="float32")
    keys = ops.convert_to_tensor(keys, dtype="float32")
    values = ops.convert_to_tensor(values, dtype="float32")
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(values)[-1], "float32"))
    if key_mask is not None:
        keep = ops.expand_dims(ops.cast(key_mask, "bool"), 1)
        scores = ops.where(keep, scores, -1e9)
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, values), weights
