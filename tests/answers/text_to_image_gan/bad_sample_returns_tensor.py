"""Bug: sample returns an np.ndarray; this one returns the generator's tf.Tensor unchanged."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_sample_returns_a_numpy_array_of_images_in_range",)


def sample(generator, captions, seed: int = 0):
    captions = tf.convert_to_tensor(np.asarray(captions, dtype=np.int32))
    z = np.random.default_rng(seed).standard_normal((captions.shape[0], generator.inputs[0].shape[-1])).astype(np.float32)
    return generator([tf.convert_to_tensor(z), captions], training=False)
