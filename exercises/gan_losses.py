"""GAN losses from logits (seed §2: the parts of a GAN and its loss).

Interview question
    A GAN has a generator G and a discriminator D that outputs one logit per example.
    Write D's loss and G's non-saturating loss from logits, numerically stable for
    logits of any size, with optional one-sided label smoothing.

What to build
    sigmoid_cross_entropy(logits, targets) -> tensor of the same shape
        Binary cross-entropy between sigmoid(logits) and targets in [0, 1], element
        by element, computed from the logits so that |logits| = 100 stays finite,
        with the exact gradient sigmoid(logits) - targets everywhere (logit 0 included).
    discriminator_loss(real_logits, fake_logits, real_smoothing=0.0) -> scalar tensor
        mean cross-entropy of real logits against target 1 - real_smoothing
        + mean cross-entropy of fake logits against target 0.
        Only the real targets are smoothed (one-sided smoothing).
    generator_loss(fake_logits) -> scalar tensor
        The non-saturating loss: mean cross-entropy of fake logits against target 1.

Shapes and types
    Logits are float tensors (or arrays, float32 or float64) of shape (batch,) or
    (batch, 1); the real and fake batches may differ in size. Losses are float32 scalars
    (shape ()) built from keras.ops or tf, so gradients flow.

Grade with: python grade.py gan_losses
"""

from __future__ import annotations

from keras import ops  # noqa: F401  (keras.ops has softplus, log_sigmoid, mean, ...)


def sigmoid_cross_entropy(logits, targets):
    """Element-wise binary cross-entropy from logits, stable for large |logits|."""
    raise NotImplementedError


def discriminator_loss(real_logits, fake_logits, real_smoothing: float = 0.0):
    """Mean cross-entropy of real logits vs 1 - real_smoothing plus fake logits vs 0."""
    raise NotImplementedError


def generator_loss(fake_logits):
    """Non-saturating generator loss: mean cross-entropy of fake logits vs 1."""
    raise NotImplementedError
