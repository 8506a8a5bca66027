"""Bug: the contract masks padded keys (last axis of the weights); this answer broadcasts the mask over the query axis,
so it blanks query rows instead of key columns (shapes still fit when Lq == Lk)."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = (
    "test_attention_gives_padded_keys_zero_weight",
    "test_attention_matches_the_reference_on_random_and_edge_cases",
)


def attention(queries, keys, values, key_mask=None):
    queries = ops.convert_to_tensor(queries, dtype="float32")
    keys = ops.convert_to_tensor(keys, dtype="float32")
    values = ops.convert_to_tensor(values, dtype="float32")
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    if key_mask is not None:
        keep = ops.expand_dims(ops.cast(key_mask, "bool"), -1)  # (b, L, 1): wrong axis
        scores = ops.where(keep, scores, -1e9)
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, values), weights
