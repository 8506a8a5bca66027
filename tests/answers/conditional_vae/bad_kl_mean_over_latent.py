"""Bug: kl_divergence must be SUMMED over the latent dimensions; this answer averages over them (KL divided by latent_dim)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_kl_divergence_matches_the_contract_in_values_and_gradients",
    "test_kl_is_half_per_dimension_at_unit_mean",
)


def kl_divergence(mu, logvar):
    return 0.5 * ops.mean(ops.exp(logvar) + ops.square(mu) - 1.0 - logvar, axis=-1)  # noqa: F821

