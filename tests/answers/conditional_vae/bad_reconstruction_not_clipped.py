"""Bug: vae_loss must clip the reconstructions to [1e-7, 1 - 1e-7] before the cross-entropy; this answer takes the log unclipped, so a pixel at exactly 0 or 1 gives inf/NaN."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_vae_loss_matches_the_contract_in_values_and_gradients",)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    images = ops.convert_to_tensor(images, dtype="float32")  # noqa: F821
    probs = ops.convert_to_tensor(reconstructions, dtype="float32")  # noqa: F821
    bce = -(images * ops.log(probs) + (1.0 - images) * ops.log(1.0 - probs))  # noqa: F821
    reconstruction = ops.mean(ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=-1))  # noqa: F821
    kl = ops.mean(kl_divergence(mu, logvar))  # noqa: F821
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}

