"""Bug: multi_resolution_stft_loss averages over the resolutions it is given; this one always loops over STFT_RESOLUTIONS, ignoring a non-default argument."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_multi_resolution_loss_averages_its_parts_over_the_given_resolutions",)


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):  # noqa: F821
    total = 0.0
    for frame_length, hop in STFT_RESOLUTIONS:  # noqa: F821
        t, p = stft_magnitude(target, frame_length, hop), stft_magnitude(predicted, frame_length, hop)
        total = total + spectral_convergence(t, p) + log_magnitude_loss(t, p)
    return total / len(STFT_RESOLUTIONS)  # noqa: F821
