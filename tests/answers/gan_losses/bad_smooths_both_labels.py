"""Bug: two-sided smoothing: fake targets become s as well as real targets 1 - s."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_smoothing_adds_s_times_mean_real_logit", "test_smoothing_leaves_the_fake_term_alone")


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    real = ops.mean(sigmoid_cross_entropy(real_logits, ops.full_like(real_logits, 1.0 - real_smoothing)))  # noqa: F821
    fake = ops.mean(sigmoid_cross_entropy(fake_logits, ops.full_like(fake_logits, real_smoothing)))  # noqa: F821
    return real + fake
