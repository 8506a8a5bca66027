"""Bug: the KL drops the "- 1" inside the sum, so it is 0.5 per latent dimension too large and not 0 at the prior."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_kl_is_zero_for_the_standard_normal",
    "test_kl_is_half_per_dimension_at_unit_mean",
    "test_kl_matches_hand_values_for_other_variances",
    "test_vae_loss_sums_pixels_and_latents_and_averages_the_batch",
)


def kl_divergence(mu, logvar):
    return 0.5 * ops.sum(ops.exp(logvar) + ops.square(mu) - logvar, axis=-1)
