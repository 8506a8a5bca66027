"""Bug: the spectrogram takes log(|STFT|) without an epsilon: silent frames become -inf."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_spectrogram_is_finite_on_silence",)


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), 128, 64, fft_length=128, pad_end=True)
    features = tf.math.log(tf.abs(spectrum))
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)
    return (features - mean) / tf.sqrt(variance + 1e-6)
