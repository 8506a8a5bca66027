"""Bug: residual_quantize quantizes z itself at every stage instead of what the earlier stages left."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_residual_quantize_quantizes_what_each_stage_leaves",)


def residual_quantize(z, codebooks):
    z = ops.cast(z, "float32")
    total = ops.zeros_like(z)
    indices = []
    for stage in range(len(codebooks)):
        quantized, index = quantize(z, codebooks[stage])  # noqa: F821
        total = total + quantized
        indices.append(index)
    return total, ops.stack(indices)
