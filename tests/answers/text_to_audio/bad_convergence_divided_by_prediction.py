"""Bug: spectral convergence normalised by the prediction's norm instead of the target's, so a
silent prediction gives a division by zero instead of 1."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_spectral_convergence_is_zero_when_equal_and_one_for_silence",)


def spectral_convergence(target_mag, predicted_mag):
    return ops.sqrt(ops.sum(ops.square(target_mag - predicted_mag))) / ops.sqrt(ops.sum(ops.square(predicted_mag)))
