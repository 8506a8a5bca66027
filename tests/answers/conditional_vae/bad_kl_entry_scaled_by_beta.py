"""Bug: the kl entry must be the batch mean of kl_divergence (loss = reconstruction + beta * kl); this answer reports beta * KL under "kl", which is wrong whenever beta != 1."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_vae_loss_matches_the_contract_in_values_and_gradients",
    "test_train_step_returns_the_vae_loss_before_the_update",
)


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    images = ops.convert_to_tensor(images, dtype="float32")  # noqa: F821
    probs = ops.clip(ops.convert_to_tensor(reconstructions, dtype="float32"), _EPS, 1.0 - _EPS)  # noqa: F821
    bce = -(images * ops.log(probs) + (1.0 - images) * ops.log(1.0 - probs))  # noqa: F821
    reconstruction = ops.mean(ops.sum(ops.reshape(bce, (ops.shape(bce)[0], -1)), axis=-1))  # noqa: F821
    kl = beta * ops.mean(kl_divergence(mu, logvar))  # noqa: F821
    return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}

