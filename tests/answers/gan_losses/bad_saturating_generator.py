"""Bug: the minimax generator loss log(1 - D(G(z))), which has almost no gradient when D rejects fakes."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_generator_loss_does_not_saturate_when_discriminator_rejects_fakes", "test_generator_loss_is_log2_at_zero_logits")


def generator_loss(fake_logits):
    fake_logits = ops.convert_to_tensor(fake_logits, dtype="float32")
    return -ops.mean(sigmoid_cross_entropy(fake_logits, ops.zeros_like(fake_logits)))  # noqa: F821
