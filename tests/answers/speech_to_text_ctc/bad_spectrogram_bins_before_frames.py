"""Bug: the spectrogram is laid out frequency-first, (batch, bins, frames), as librosa and image-style
plots do, so the model reads each frequency bin as a time step."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_spectrogram_shape_and_dtype", "test_spectrogram_peaks_at_the_tone")


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), 128, 64, fft_length=128, pad_end=True)
    features = tf.math.log(tf.abs(spectrum) + 1e-3)
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)
    return tf.transpose((features - mean) / tf.sqrt(variance + 1e-6), [0, 2, 1])
