"""Bug: reparameterize multiplies eps by logvar itself, as if the encoder's second output were the standard deviation."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_has_the_right_mean_and_spread", "test_reparameterize_collapses_to_the_mean_for_tiny_variance")


def reparameterize(mu, logvar):
    return mu + logvar * tf.random.normal(tf.shape(mu))
