"""Bug: the loss is the mean over resolutions of spectral convergence + log-magnitude L1; this one adds the log-magnitude term only for the last resolution (it sits after the loop)."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_multi_resolution_loss_averages_its_parts_over_the_given_resolutions",)


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):  # noqa: F821
    total = 0.0
    for frame_length, hop in resolutions:
        t, p = stft_magnitude(target, frame_length, hop), stft_magnitude(predicted, frame_length, hop)
        total = total + spectral_convergence(t, p)
    total = total + log_magnitude_loss(t, p)
    return total / len(resolutions)
