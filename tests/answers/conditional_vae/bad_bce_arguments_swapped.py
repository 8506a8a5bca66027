"""Bug: reconstruction is the cross-entropy of the images under the reconstructions (targets = images, probabilities = reconstructions); this answer swaps the two, as with keras.losses.binary_crossentropy(reconstructions, images)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_vae_loss_matches_the_contract_in_values_and_gradients",
    "test_vae_loss_sums_pixels_and_latents_and_averages_the_batch",
)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    images = ops.convert_to_tensor(images, dtype="float32")  # noqa: F821
    recon = ops.convert_to_tensor(reconstructions, dtype="float32")  # noqa: F821
    targets, probs = recon, ops.clip(images, _EPS, 1.0 - _EPS)  # noqa: F821
    bce = -(targets * ops.log(probs) + (1.0 - targets) * ops.log(1.0 - probs))  # noqa: F821
    reconstruction = ops.mean(ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=-1))  # noqa: F821
    kl = ops.mean(kl_divergence(mu, logvar))  # noqa: F821
    return {"loss": reconstruction + beta * kl, "reconstruction": reconstruction, "kl": kl}

