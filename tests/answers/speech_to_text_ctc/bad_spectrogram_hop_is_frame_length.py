"""Bug: spectrogram uses FRAME_LENGTH = 128 and HOP = 64 (frames about samples / HOP); this one steps by FRAME_LENGTH, giving half as many frames."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_spectrogram_shape_and_dtype',)


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), FRAME_LENGTH, FRAME_LENGTH, fft_length=FRAME_LENGTH, pad_end=True)  # noqa: F821
    features = tf.math.log(tf.abs(spectrum) + 1e-3)  # noqa: F821
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)  # noqa: F821
    return (features - mean) / tf.sqrt(variance + 1e-6)  # noqa: F821
