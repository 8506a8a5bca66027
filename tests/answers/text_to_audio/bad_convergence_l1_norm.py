"""Bug: spectral_convergence uses Frobenius norms ||T - P||_F / ||T||_F; this one uses L1 norms sum|T - P| / sum|T| (still 0 when P = T and 1 when P is silent)."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_spectral_convergence_on_hand_computed_values",
    "test_spectral_convergence_matches_the_contract_in_values_and_gradients",
)


def spectral_convergence(target_mag, predicted_mag):
    return ops.sum(ops.abs(target_mag - predicted_mag)) / ops.maximum(ops.sum(ops.abs(target_mag)), 1e-7)  # noqa: F821
