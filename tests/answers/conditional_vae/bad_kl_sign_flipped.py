"""Bug: the KL term has its sign flipped, so training would reward moving away from the prior."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_kl_is_half_per_dimension_at_unit_mean", "test_kl_matches_hand_values_for_other_variances")


def kl_divergence(mu, logvar):
    return -0.5 * ops.sum(ops.exp(logvar) + ops.square(mu) - 1.0 - logvar, axis=-1)
