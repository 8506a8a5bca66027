"""Bug: spectrogram must be finite for silence; this one normalises each clip to [0, 1] with (f - min) / (max - min) and no epsilon, so a silent clip (max = min) gives 0 / 0 = NaN."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_spectrogram_is_finite_on_silence',)


def spectrogram(waveform):
    spectrum = tf.signal.stft(tf.convert_to_tensor(waveform, tf.float32), FRAME_LENGTH, HOP, fft_length=FRAME_LENGTH, pad_end=True)  # noqa: F821
    features = tf.math.log(tf.abs(spectrum) + 1e-3)  # noqa: F821
    low = tf.reduce_min(features, axis=[1, 2], keepdims=True)  # noqa: F821
    high = tf.reduce_max(features, axis=[1, 2], keepdims=True)  # noqa: F821
    return (features - low) / (high - low)
