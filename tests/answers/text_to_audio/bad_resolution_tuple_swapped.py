"""Bug: resolutions are (frame_length, hop) pairs; this one unpacks them as (hop, frame_length), computing 16-sample frames with a hop of 64 and so on."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_multi_resolution_loss_averages_its_parts_over_the_given_resolutions",)


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):  # noqa: F821
    total = 0.0
    for hop, frame_length in resolutions:
        t, p = stft_magnitude(target, frame_length, hop), stft_magnitude(predicted, frame_length, hop)
        total = total + spectral_convergence(t, p) + log_magnitude_loss(t, p)
    return total / len(resolutions)
