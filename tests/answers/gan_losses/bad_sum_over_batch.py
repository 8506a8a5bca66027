"""Bug: sums the per-example losses over the batch instead of averaging them."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_losses_average_over_the_batch",)


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return ops.sum(sigmoid_cross_entropy(fake_logits, ops.ones_like(fake_logits)))  # noqa: F821
