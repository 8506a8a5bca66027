"""Bug: label smoothing is two-sided: fake targets become real_smoothing instead of staying 0."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_loss_smooths_only_the_real_targets",
    "test_discriminator_step_applies_one_update_of_the_smoothed_loss",
)


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return ops.mean(_bce(real_logits, 1.0 - real_smoothing)) + ops.mean(_bce(fake_logits, real_smoothing))  # noqa: F821
