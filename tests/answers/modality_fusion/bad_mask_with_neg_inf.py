"""Bug: the contract says each row of weights sums to 1; this answer masks with -inf, so a row whose keys are all padded
becomes NaN (0/0) and the NaN spreads into the outputs and gradients."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_attention_matches_the_reference_on_random_and_edge_cases",)


def attention(queries, keys, values, key_mask=None):
    queries = ops.convert_to_tensor(queries, dtype="float32")
    keys = ops.convert_to_tensor(keys, dtype="float32")
    values = ops.convert_to_tensor(values, dtype="float32")
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    if key_mask is not None:
        keep = ops.expand_dims(ops.cast(key_mask, "bool"), 1)
        scores = ops.where(keep, scores, float("-inf"))
    weights = ops.softmax(scores, axis=-1)
    return ops.matmul(weights, values), weights
