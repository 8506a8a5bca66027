"""Bug: the contract asks for a softmax whose rows sum to 1; this answer writes a masked softmax by hand as exp(scores)
* mask / sum without subtracting the row maximum, so large scores overflow to inf and the weights become NaN."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_attention_matches_the_reference_on_random_and_edge_cases",)


def attention(queries, keys, values, key_mask=None):
    queries = ops.convert_to_tensor(queries, dtype="float32")
    keys = ops.convert_to_tensor(keys, dtype="float32")
    values = ops.convert_to_tensor(values, dtype="float32")
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    e = ops.exp(scores)
    if key_mask is not None:
        e = e * ops.expand_dims(ops.cast(key_mask, "float32"), 1)
    weights = e / ops.sum(e, axis=-1, keepdims=True)
    return ops.matmul(weights, values), weights
