"""Bug: reparameterize must draw eps independently for every element; this answer draws one eps row of shape (1, latent_dim) and broadcasts it, so every example in the batch gets the same noise."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reparameterize_draws_fresh_noise_each_call",)


def reparameterize(mu, logvar):
    eps = tf.random.normal((1, tf.shape(mu)[-1]))
    return mu + ops.exp(0.5 * logvar) * eps  # noqa: F821

