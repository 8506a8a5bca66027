"""Bug: the log-magnitude loss averages the signed log difference, so bins that are too loud cancel
bins that are too quiet (and a prediction louder than the target gets a negative loss)."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_log_magnitude_loss_of_a_scaled_signal_is_abs_log_c",)


def log_magnitude_loss(target_mag, predicted_mag):
    return ops.mean(ops.log(target_mag + EPS) - ops.log(predicted_mag + EPS))  # noqa: F821
