"""Bug: vq_losses scales the codebook loss by beta and leaves the commitment loss unscaled."""

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
    codebook_loss = beta * ops.mean(ops.square(ops.stop_gradient(z) - quantized))
    commitment_loss = ops.mean(ops.square(z - ops.stop_gradient(quantized)))
    return codebook_loss, commitment_loss
