"""Bug: each entry must be the MEAN over the batch; this answer sums the reconstruction term over the batch as well as the pixels (the kl entry is still a batch mean)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_vae_loss_matches_the_contract_in_values_and_gradients",
    "test_vae_loss_sums_pixels_and_latents_and_averages_the_batch",
)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    images = ops.convert_to_tensor(images, dtype="float32")  # noqa: F821
    probs = ops.clip(ops.convert_to_tensor(reconstructions, dtype="float32"), _EPS, 1.0 - _EPS)  # noqa: F821
    bce = -(images * ops.log(probs) + (1.0 - images) * ops.log(1.0 - probs))  # noqa: F821
    reconstruction = ops.sum(bce)  # noqa: F821
    kl = ops.mean(kl_divergence(mu, logvar))  # noqa: F821
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}

