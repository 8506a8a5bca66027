"""Bug: squashes the logits with a sigmoid and then uses the from-logits formula on the probabilities."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_matches_hand_values", "test_discriminator_loss_matches_hand_computed_value")


def sigmoid_cross_entropy(logits, targets):
    p = ops.sigmoid(ops.convert_to_tensor(logits, dtype="float32"))
    targets = ops.convert_to_tensor(targets, dtype="float32")
    return ops.maximum(p, 0.0) - p * targets + ops.log1p(ops.exp(-ops.abs(p)))
