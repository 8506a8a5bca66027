"""Bug: spectral_convergence is ||T - P||_F / ||T||_F over the whole batch; this one averages the per-example ratios."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_spectral_convergence_takes_one_ratio_over_the_whole_batch",
    "test_spectral_convergence_matches_the_contract_in_values_and_gradients",
)


def spectral_convergence(target_mag, predicted_mag):
    num = ops.sqrt(ops.sum(ops.square(target_mag - predicted_mag), axis=(1, 2)))  # noqa: F821
    den = ops.maximum(ops.sqrt(ops.sum(ops.square(target_mag), axis=(1, 2))), 1e-7)  # noqa: F821
    return ops.mean(num / den)  # noqa: F821
