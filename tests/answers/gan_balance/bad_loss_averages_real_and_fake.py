"""Bug: discriminator_loss is mean BCE(real) + mean BCE(fake), a sum of two means; this answer takes one mean over the concatenated real and fake terms, i.e. half the stated loss."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_discriminator_loss_smooths_only_the_real_targets",
    "test_discriminator_loss_matches_the_contract_in_values_and_gradients",
)


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean BCE over all 2 * batch logits."""
    real_logits = ops.convert_to_tensor(real_logits, dtype="float32")  # noqa: F821
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")  # noqa: F821
    terms = ops.concatenate([_bce(real_logits, 1.0 - real_smoothing), _bce(fake_logits, 0.0)], axis=0)  # noqa: F821
    return ops.mean(terms)  # noqa: F821
