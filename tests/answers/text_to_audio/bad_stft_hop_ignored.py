"""Bug: stft_magnitude(waveform, frame_length, hop) must step by hop; this one always steps by frame_length // 4, which equals hop for every default resolution but not for other hops."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_stft_magnitude_matches_the_contract_in_values_and_gradients",)


def stft_magnitude(waveform, frame_length: int, hop: int):
    spectrum = tf.signal.stft(  # noqa: F821
        tf.convert_to_tensor(waveform, tf.float32), frame_length, frame_length // 4, fft_length=frame_length,  # noqa: F821
        window_fn=tf.signal.hann_window, pad_end=True,  # noqa: F821
    )
    return tf.abs(spectrum)  # noqa: F821
