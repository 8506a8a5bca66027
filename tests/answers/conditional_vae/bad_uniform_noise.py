"""Bug: eps must be N(0, I); this answer draws eps from a unit-variance uniform law on [-sqrt(3), sqrt(3)] (right mean and variance, wrong distribution)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_draws_standard_normal_noise",)


def reparameterize(mu, logvar):
    bound = 3.0 ** 0.5
    eps = tf.random.uniform(tf.shape(mu), -bound, bound)  # noqa: F821
    return mu + ops.exp(0.5 * logvar) * eps  # noqa: F821

