"""Bug: one N(0,1) draw per pixel is required; this answer draws one (1, 28, 28, 1) noise image and broadcasts it to every example of the batch."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_instance_noise_is_an_independent_standard_normal_per_pixel_times_std",)


def add_instance_noise(images, std):
    """images + std * N(0, 1), one noise image shared by the batch."""
    shape = tf.concat([[1], tf.shape(images)[1:]], axis=0)  # noqa: F821
    return images + std * tf.random.normal(shape)  # noqa: F821
