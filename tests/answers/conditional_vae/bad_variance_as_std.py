"""Bug: eps is scaled by exp(logvar), the variance, instead of the standard deviation exp(0.5 * logvar)."""

import tensorflow as tf
from keras import ops

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_has_the_right_mean_and_spread",)


def reparameterize(mu, logvar):
    return mu + ops.exp(logvar) * tf.random.normal(tf.shape(mu))
