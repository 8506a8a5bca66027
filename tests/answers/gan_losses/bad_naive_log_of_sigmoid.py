"""Bug: takes log(sigmoid(x)) directly, which is log(0) = -inf in float32 for logits of ±100."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_is_finite_for_logits_of_100", "test_losses_are_finite_and_right_at_logits_of_100")


def sigmoid_cross_entropy(logits, targets):
    p = ops.sigmoid(ops.convert_to_tensor(logits, dtype="float32"))
    y = ops.convert_to_tensor(targets, dtype="float32")
    return -(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))
