"""Bug: the real targets must be 1 - real_smoothing; this answer uses keras BinaryCrossentropy(label_smoothing=real_smoothing), whose targets are 1 - real_smoothing / 2."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_discriminator_loss_matches_the_contract_in_values_and_gradients", "test_smoothing_adds_s_times_mean_real_logit")

from keras import ops  # noqa: E402


import keras  # noqa: E402


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    real_logits = ops.reshape(ops.convert_to_tensor(real_logits, dtype="float32"), (-1, 1))
    fake_logits = ops.reshape(ops.convert_to_tensor(fake_logits, dtype="float32"), (-1, 1))
    real_bce = keras.losses.BinaryCrossentropy(from_logits=True, label_smoothing=real_smoothing)
    fake_bce = keras.losses.BinaryCrossentropy(from_logits=True)
    return ops.cast(real_bce(ops.ones_like(real_logits), real_logits) + fake_bce(ops.zeros_like(fake_logits), fake_logits), "float32")
