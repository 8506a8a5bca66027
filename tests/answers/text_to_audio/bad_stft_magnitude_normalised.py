"""Bug: stft_magnitude must be the plain |STFT|; this one divides it by frame_length (a normalised FFT), which spectral convergence hides but the EPS = 1 log floor does not."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_stft_magnitude_matches_the_contract_in_values_and_gradients",)


def stft_magnitude(waveform, frame_length: int, hop: int):
    spectrum = tf.signal.stft(  # noqa: F821
        tf.convert_to_tensor(waveform, tf.float32), frame_length, hop, fft_length=frame_length,  # noqa: F821
        window_fn=tf.signal.hann_window, pad_end=True,  # noqa: F821
    )
    return tf.abs(spectrum) / float(frame_length)  # noqa: F821
