"""Bug: discriminator_loss is the mean over the real logits plus the mean over the fake logits; this answer adds the element-wise terms first and takes one mean, which broadcasts (batch,) against (batch, 1) and fails when the real and fake batches differ in size."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_matches_the_contract_in_values_and_gradients",)

from keras import ops  # noqa: E402


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    per_example = sigmoid_cross_entropy(real_logits, ops.full_like(real_logits, 1.0 - real_smoothing)) + sigmoid_cross_entropy(
        fake_logits, ops.zeros_like(fake_logits)
    )
    return ops.mean(per_example)
