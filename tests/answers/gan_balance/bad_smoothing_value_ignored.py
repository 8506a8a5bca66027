"""Bug: real targets are 1 - real_smoothing; this answer switches to the textbook 0.9 whenever real_smoothing > 0, ignoring the value passed."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_loss_matches_the_contract_in_values_and_gradients",
    "test_discriminator_step_applies_one_update_of_the_smoothed_loss",
)


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean BCE of real logits vs 0.9 (if smoothing) plus mean BCE of fake logits vs 0."""
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")  # noqa: F821
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")  # noqa: F821
    target = 0.9 if real_smoothing > 0 else 1.0
    return ops.mean(_bce(real_logits, target)) + ops.mean(_bce(fake_logits, 0.0))  # noqa: F821
