"""Bug: spectral_convergence must be 0 when P = T; with a silent target batch (T = P = 0) this one divides 0 by 0 and returns NaN."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_spectral_convergence_is_zero_when_equal_and_one_for_silence",
    "test_spectral_convergence_matches_the_contract_in_values_and_gradients",
)


def spectral_convergence(target_mag, predicted_mag):
    return ops.sqrt(ops.sum(ops.square(target_mag - predicted_mag))) / ops.sqrt(ops.sum(ops.square(target_mag)))  # noqa: F821
