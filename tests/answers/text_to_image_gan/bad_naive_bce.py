"""Bug: the losses are BCE computed from logits; this one takes log(sigmoid(logits)) naively, which is inf/nan for large-magnitude logits (and gradients vanish there)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)


def _bce(logits, target: float):
    p = ops.sigmoid(logits)
    return ops.mean(-(target * ops.log(p) + (1.0 - target) * ops.log(1.0 - p)))
