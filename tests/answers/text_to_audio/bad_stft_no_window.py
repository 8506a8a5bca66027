"""Bug: stft_magnitude must use a Hann window; this one passes window_fn=None, a rectangular window."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_stft_magnitude_matches_the_contract_in_values_and_gradients",)


def stft_magnitude(waveform, frame_length: int, hop: int):
    spectrum = tf.signal.stft(  # noqa: F821
        tf.convert_to_tensor(waveform, tf.float32), frame_length, hop, fft_length=frame_length,  # noqa: F821
        window_fn=None, pad_end=True,
    )
    return tf.abs(spectrum)  # noqa: F821
