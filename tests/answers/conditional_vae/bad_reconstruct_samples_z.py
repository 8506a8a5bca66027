"""Bug: reconstruct decodes a sampled z instead of the mean mu, so the same input gives a different image every call."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reconstruct_decodes_the_posterior_mean",)


def reconstruct(encoder, decoder, images, captions):
    images, captions = tf.convert_to_tensor(images, tf.float32), tf.convert_to_tensor(captions, tf.int32)
    mu, logvar = encoder([images, captions], training=False)
    return np.asarray(decoder([reparameterize(mu, logvar), captions], training=False))  # noqa: F821
