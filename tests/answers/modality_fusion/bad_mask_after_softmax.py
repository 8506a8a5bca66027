"""Bug: padded keys are zeroed after the softmax without renormalising, so each row of weights sums to less than 1."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_attention_gives_padded_keys_zero_weight",)


def attention(queries, keys, values, key_mask=None):
    scores = ops.matmul(queries, ops.transpose(keys, (0, 2, 1))) / ops.sqrt(ops.cast(ops.shape(keys)[-1], "float32"))
    weights = ops.softmax(scores, axis=-1)
    if key_mask is not None:
        weights = weights * ops.expand_dims(ops.cast(key_mask, "float32"), 1)
    return ops.matmul(weights, values), weights
