"""Bug: sample draws z with an unseeded tf.random.normal, so the seed argument has no effect."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_sample_is_seeded_and_in_range",)


def sample(decoder, captions, seed=0):
    captions = tf.convert_to_tensor(captions, tf.int32)
    z = tf.random.normal((captions.shape[0], decoder.inputs[0].shape[-1]))
    return np.asarray(decoder([z, captions], training=False))
