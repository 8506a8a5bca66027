"""Bug: alpha must be drawn once per example (shape (batch, 1, 1, 1)); this answer draws a single scalar alpha shared by the whole batch."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_interpolation_uses_one_coefficient_per_example",)


def interpolate(real, fake):
    """alpha * real + (1 - alpha) * fake with one alpha for the batch."""
    alpha = tf.random.uniform(())  # noqa: F821
    return alpha * real + (1.0 - alpha) * fake
