"""Bug: the magnitude is forgotten: the log is taken of the complex STFT itself, so the features are
complex64 (and carry the phase) instead of real log magnitudes."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_spectrogram_shape_and_dtype",)


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), 128, 64, fft_length=128, pad_end=True)
    features = tf.math.log(spectrum + 1e-3)
    return features - tf.reduce_mean(features, axis=[1, 2], keepdims=True)
