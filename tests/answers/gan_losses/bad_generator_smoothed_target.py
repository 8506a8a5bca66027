"""Bug: label smoothing applied to the generator's target (0.9 instead of 1)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_generator_loss_matches_hand_computed_value",)


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return ops.mean(sigmoid_cross_entropy(fake_logits, ops.full_like(fake_logits, 0.9)))  # noqa: F821
