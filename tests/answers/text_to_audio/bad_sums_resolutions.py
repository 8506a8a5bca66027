"""Bug: the multi-resolution loss adds the resolutions up instead of averaging them."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_multi_resolution_loss_averages_its_parts_over_the_given_resolutions",)


def multi_resolution_stft_loss(target, predicted, resolutions=((64, 16), (128, 32), (256, 64))):
    total = 0.0
    for frame_length, hop in resolutions:
        t, p = stft_magnitude(target, frame_length, hop), stft_magnitude(predicted, frame_length, hop)  # noqa: F821
        total = total + spectral_convergence(t, p) + log_magnitude_loss(t, p)  # noqa: F821
    return total
