"""Bug: quantize picks the code with the largest squared distance (argmax) instead of the nearest one."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = (
    "test_quantize_matches_the_contract_on_random_inputs",
    "test_quantize_picks_the_nearest_code_and_the_lowest_index_on_a_tie",
    "test_residual_quantize_quantizes_what_each_stage_leaves",
    "test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",
)


def quantize(z, codebook):
    z = ops.cast(z, "float32")
    codebook = ops.cast(codebook, "float32")
    flat = ops.reshape(z, (-1, ops.shape(z)[-1]))
    distances = (ops.sum(flat**2, axis=1, keepdims=True) - 2.0 * ops.matmul(flat, ops.transpose(codebook))
                 + ops.sum(codebook**2, axis=1)[None, :])
    indices = ops.cast(ops.argmax(distances, axis=1), "int32")
    quantized = ops.take(codebook, indices, axis=0)
    return ops.reshape(quantized, ops.shape(z)), ops.reshape(indices, ops.shape(z)[:-1])
