"""Bug: residual_quantize returns only the last stage's codes instead of the sum of every stage's codes."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_residual_quantize_quantizes_what_each_stage_leaves",)


def residual_quantize(z, codebooks):
    residual = ops.cast(z, "float32")
    indices = []
    for stage in range(len(codebooks)):
        quantized, index = quantize(residual, codebooks[stage])  # noqa: F821
        residual = residual - quantized
        indices.append(index)
    return quantized, ops.stack(indices)
