"""Bug: eps must be N(0, 1); this answer draws uniform noise on [-sqrt 3, sqrt 3], which has the right mean and variance but the wrong law."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_instance_noise_is_an_independent_standard_normal_per_pixel_times_std",)


def add_instance_noise(images, std):
    """images + std * eps with unit-variance uniform eps."""
    r = 3.0 ** 0.5
    return images + std * tf.random.uniform(tf.shape(images), -r, r)  # noqa: F821
