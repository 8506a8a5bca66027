"""Bug: straight_through is quantized + stop_gradient(z - quantized): its value is z and the gradient goes to the codes."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = (
    "test_straight_through_has_the_value_of_quantized_and_the_gradient_of_z",
    "test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",
)


def straight_through(z, quantized):
    quantized = ops.cast(quantized, "float32")
    return quantized + ops.stop_gradient(ops.cast(z, "float32") - quantized)
