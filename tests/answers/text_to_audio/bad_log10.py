"""Bug: log_magnitude_loss is the mean |log(T + EPS) - log(P + EPS)| with the natural log; this one uses log10 (dB-style), scaling the term by 1 / ln 10."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_log_magnitude_loss_of_a_scaled_signal_is_abs_log_c",
    "test_log_magnitude_loss_matches_the_contract_in_values_and_gradients",
)


def log_magnitude_loss(target_mag, predicted_mag):
    return ops.mean(ops.abs(ops.log10(target_mag + EPS) - ops.log10(predicted_mag + EPS)))  # noqa: F821
