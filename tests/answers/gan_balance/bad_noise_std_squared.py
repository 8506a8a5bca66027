"""Bug: the noise is scaled by std ** 2 (the variance), so a requested std of 0.3 gives noise of std 0.09."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_instance_noise_is_an_independent_standard_normal_per_pixel_times_std",)


def add_instance_noise(images, std):
    return images + std**2 * tf.random.normal(tf.shape(images))
