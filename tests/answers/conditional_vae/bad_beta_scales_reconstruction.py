"""Bug: loss = reconstruction + beta * kl; this answer puts beta on the reconstruction term instead (beta * reconstruction + kl), identical only at beta = 1."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = (
    "test_vae_loss_matches_the_contract_in_values_and_gradients",
    "test_train_step_returns_the_vae_loss_before_the_update",
)
_reference_vae_loss = vae_loss  # noqa: F821


def vae_loss(images, reconstructions, mu, logvar, beta: float = 1.0) -> dict:
    out = _reference_vae_loss(images, reconstructions, mu, logvar, 1.0)
    out["loss"] = beta * out["reconstruction"] + out["kl"]
    return out

