"""Bug: vq_losses sums the squared error over the code dimension, averaging only over vectors, not over every element."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = (
    "test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",
    "test_vq_losses_match_the_contract_in_values_and_gradients",
)


def vq_losses(z, quantized, beta: float = BETA):  # noqa: F821
    z = ops.cast(z, "float32")
    quantized = ops.cast(quantized, "float32")
    codebook_loss = ops.mean(ops.sum(ops.square(ops.stop_gradient(z) - quantized), axis=-1))
    commitment_loss = beta * ops.mean(ops.sum(ops.square(z - ops.stop_gradient(quantized)), axis=-1))
    return codebook_loss, commitment_loss
