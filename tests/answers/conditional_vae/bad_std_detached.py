"""Bug: gradients must reach mu and logvar through reparameterize; this answer wraps the standard deviation in stop_gradient, so logvar gets no gradient from the reconstruction term."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_has_the_gradients_of_mu_plus_sigma_eps",)


def reparameterize(mu, logvar):
    eps = tf.random.normal(tf.shape(mu))  # noqa: F821
    return mu + tf.stop_gradient(ops.exp(0.5 * logvar)) * eps  # noqa: F821

