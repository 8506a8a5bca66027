"""Bug: log_magnitude_loss must put EPS = 1.0 inside each log; this one uses a hard-coded 1e-5, so near-silent bins dominate."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_log_magnitude_loss_matches_the_contract_in_values_and_gradients",)


def log_magnitude_loss(target_mag, predicted_mag):
    return ops.mean(ops.abs(ops.log(target_mag + 1e-5) - ops.log(predicted_mag + 1e-5)))  # noqa: F821
