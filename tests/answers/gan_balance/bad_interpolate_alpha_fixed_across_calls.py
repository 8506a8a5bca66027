"""Bug: alpha must be drawn fresh on every call; this answer uses a stateless draw with a constant seed, so each call with the same batch size gets the same alphas."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_interpolation_coefficients_are_fresh_uniform_draws",)


def interpolate(real, fake):
    """alpha * real + (1 - alpha) * fake, alphas repeated from call to call."""
    alpha = tf.random.stateless_uniform((tf.shape(real)[0], 1, 1, 1), seed=[7, 7])  # noqa: F821
    return alpha * real + (1.0 - alpha) * fake
