"""Bug: synthesize returns a float32 numpy array; this one returns float64."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_synthesize_returns_numpy_waveforms_in_range",)


def synthesize(model, tokens):
    return np.asarray(model(tf.convert_to_tensor(tokens, tf.int32), training=False), dtype=np.float64)  # noqa: F821
