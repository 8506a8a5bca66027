"""Bug: only the real targets are smoothed (to 1 - real_smoothing) and fake targets stay 0; this answer keeps real targets at 1 and raises the fake targets to real_smoothing."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_matches_the_contract_in_values_and_gradients", "test_smoothing_adds_s_times_mean_real_logit")

from keras import ops  # noqa: E402


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    real_term = ops.mean(sigmoid_cross_entropy(real_logits, ops.ones_like(real_logits)))
    fake_term = ops.mean(sigmoid_cross_entropy(fake_logits, ops.full_like(fake_logits, real_smoothing)))
    return real_term + fake_term
