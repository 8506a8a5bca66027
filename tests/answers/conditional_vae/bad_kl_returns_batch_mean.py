"""Bug: kl_divergence must return one value per example, shape (batch,); this answer already averages over the batch and returns a scalar (vae_loss still comes out right)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_kl_divergence_matches_the_contract_in_values_and_gradients",
    "test_kl_is_zero_for_the_standard_normal",
)


def kl_divergence(mu, logvar):
    return ops.mean(0.5 * ops.sum(ops.exp(logvar) + ops.square(mu) - 1.0 - logvar, axis=-1))  # noqa: F821

