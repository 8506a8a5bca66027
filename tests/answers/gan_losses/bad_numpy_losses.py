"""Bug: computes the losses in NumPy, so they are not tensors and no gradient reaches the networks."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_losses_return_scalar_tensors", "test_losses_have_finite_gradients_at_extreme_logits")


def sigmoid_cross_entropy(logits, targets):
    x, y = np.asarray(logits, np.float32), np.asarray(targets, np.float32)
    return np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))


def discriminator_loss(real_logits, fake_logits, real_smoothing=0.0):
    real = sigmoid_cross_entropy(real_logits, 1.0 - real_smoothing).mean()
    return real + sigmoid_cross_entropy(fake_logits, 0.0).mean()


def generator_loss(fake_logits):
    return sigmoid_cross_entropy(fake_logits, 1.0).mean()
