"""Bug: stft_magnitude returns (batch, bins, frames), frequency first as librosa lays it out, instead
of (batch, frames, bins)."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_stft_magnitude_has_the_peak_at_the_tone",)


def stft_magnitude(waveform, frame_length, hop):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), frame_length, hop, fft_length=frame_length, pad_end=True)
    return tf.transpose(tf.abs(spectrum), [0, 2, 1])
