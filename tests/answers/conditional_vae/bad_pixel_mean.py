"""Bug: the reconstruction term averages over pixels instead of summing, so the KL swamps it."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_vae_loss_sums_pixels_and_latents_and_averages_the_batch",)


def vae_loss(images, reconstructions, mu, logvar, beta=1.0):
    probs = ops.clip(reconstructions, 1e-7, 1 - 1e-7)
    reconstruction = ops.mean(-(images * ops.log(probs) + (1.0 - images) * ops.log(1.0 - probs)))
    kl = ops.mean(kl_divergence(mu, logvar))  # noqa: F821
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}
