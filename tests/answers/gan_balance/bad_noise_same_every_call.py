"""Bug: eps must be drawn fresh on every call; this answer uses a stateless draw with a fixed seed, so every call adds the identical noise pattern."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_instance_noise_is_fresh_on_every_call_and_off_at_std_zero",)


def add_instance_noise(images, std):
    """images + std * N(0, 1) (same pattern every call)."""
    return images + std * tf.random.stateless_normal(tf.shape(images), seed=[1234, 0])  # noqa: F821
