"""Bug: spectrogram is log(|STFT| + epsilon); this one takes log(|Re STFT| + epsilon), which depends on the phase of each tone."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_spectrogram_peaks_at_the_tone',)


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), FRAME_LENGTH, HOP, fft_length=FRAME_LENGTH, pad_end=True)  # noqa: F821
    features = tf.math.log(tf.abs(tf.math.real(spectrum)) + 1e-3)  # noqa: F821
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)  # noqa: F821
    return (features - mean) / tf.sqrt(variance + 1e-6)  # noqa: F821
