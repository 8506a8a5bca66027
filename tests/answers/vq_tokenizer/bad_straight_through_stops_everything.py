"""Bug: straight_through returns stop_gradient(quantized), which has the right value but passes no gradient to z."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = (
    "test_straight_through_has_the_value_of_quantized_and_the_gradient_of_z",
    "test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",
)


def straight_through(z, quantized):
    return ops.stop_gradient(ops.cast(quantized, "float32"))
