"""Bug: synthesize returns the model's output tensor as it is, not a NumPy array."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_synthesize_returns_numpy_waveforms_in_range",)


def synthesize(model, tokens):
    return model(tf.convert_to_tensor(tokens, tf.int32), training=False)
