"""Bug: quantize keeps a running minimum with <= instead of <, so a tie goes to the highest index, not the lowest."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = (
    "test_quantize_picks_the_nearest_code_and_the_lowest_index_on_a_tie",
    "test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",
)


def quantize(z, codebook):
    z = ops.cast(z, "float32")
    codebook = ops.cast(codebook, "float32")
    flat = ops.reshape(z, (-1, ops.shape(z)[-1]))
    z_norms = ops.sum(flat**2, axis=1)
    best = ops.full(ops.shape(z_norms), float("inf"))
    indices = ops.zeros(ops.shape(z_norms), "int32")
    # One code at a time, so that not even a (vectors, codes) matrix is built.
    for code in range(int(ops.shape(codebook)[0])):
        row = codebook[code]
        distance = z_norms - 2.0 * ops.sum(flat * row[None, :], axis=1) + ops.sum(row**2)
        closer = distance <= best
        indices = ops.where(closer, code, indices)
        best = ops.where(closer, distance, best)
    indices = ops.cast(indices, "int32")
    quantized = ops.take(codebook, indices, axis=0)
    return ops.reshape(quantized, ops.shape(z)), ops.reshape(indices, ops.shape(z)[:-1])
