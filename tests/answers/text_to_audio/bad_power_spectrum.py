"""Bug: stft_magnitude returns the power |STFT|^2, not the magnitude."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_stft_magnitude_scales_linearly",)


def stft_magnitude(waveform, frame_length, hop):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), frame_length, hop, fft_length=frame_length, pad_end=True)
    return tf.math.real(spectrum * tf.math.conj(spectrum))
