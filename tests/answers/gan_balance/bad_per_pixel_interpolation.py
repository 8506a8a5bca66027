"""Bug: the interpolation coefficient is drawn per pixel, so the points are not on real-fake lines."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_interpolation_uses_one_coefficient_per_example",)


def interpolate(real, fake):
    alpha = tf.random.uniform(tf.shape(real))
    return alpha * real + (1.0 - alpha) * fake
