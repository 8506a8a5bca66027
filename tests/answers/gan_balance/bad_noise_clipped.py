"""Bug: add_instance_noise must return images + std * eps with no clipping; this answer clips the noisy images back to [-1, 1]."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_instance_noise_is_an_independent_standard_normal_per_pixel_times_std",)


def add_instance_noise(images, std):
    """images + std * N(0, 1), clipped to the image range."""
    return tf.clip_by_value(images + std * tf.random.normal(tf.shape(images)), -1.0, 1.0)  # noqa: F821
