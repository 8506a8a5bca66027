"""Bug: log_magnitude_loss is the mean of the absolute log differences; this one takes the absolute value of the mean difference, so too-loud and too-quiet bins cancel."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_log_magnitude_loss_of_a_scaled_signal_is_abs_log_c",
    "test_log_magnitude_loss_matches_the_contract_in_values_and_gradients",
)


def log_magnitude_loss(target_mag, predicted_mag):
    return ops.abs(ops.mean(ops.log(target_mag + EPS) - ops.log(predicted_mag + EPS)))  # noqa: F821
