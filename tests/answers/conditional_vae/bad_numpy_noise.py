"""Bug: sigma and eps are computed in NumPy, which cuts the gradient to logvar (and breaks tf.function)."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_has_the_gradients_of_mu_plus_sigma_eps",)


def reparameterize(mu, logvar):
    noise = np.exp(0.5 * np.asarray(logvar)) * np.random.standard_normal(np.shape(mu))
    return mu + tf.constant(noise, tf.float32)
