"""Multi-task learning: one shared encoder trained by a text->image and an image->text task
(seed §4 question 1, §6).

Interview question
    Train text-to-image and image-to-text together so that a shared encoder learns what
    the two modalities have in common. Implement a shared encoder with two task heads,
    combine the two losses with fixed weights and with learned uncertainty weights, and
    write a training step in which the shared encoder learns from both tasks.

What to build (toy data: mmgen.toy_data; images (n, 28, 28, 1) float32 in [0, 1],
captions (n, 6) int32 with 0 = padding)
    image_targets(images) -> (batch, FEATURE_DIM = 49) float32
        The image features the text task regresses: the mean of each 4x4 block of
        pixels (a 7x7 grid), flattened row by row.
    MultiTaskModel(vocab_size, dim=HIDDEN): a keras.Model with
        .shared         a keras layer or model: the shared encoder both tasks pass through
        .feature_head   a keras layer or model: the head of the text->image task
        .caption_head   a keras layer or model: the head of the image->text task
        .image_features_from_text(captions, training=False) -> (batch, 49) float32
            caption -> text stem -> shared -> feature_head (a regression, no activation needed).
        .caption_logits_from_image(images, training=False) -> (batch, 6, vocab_size) float32
            image -> image stem -> shared -> caption_head: logits for each caption position
            (raw scores: no softmax; the loss applies it).
        Each modality has its own stem that maps it to the width the shared encoder takes.
        Each output depends on its input, and both tasks send gradients into .shared.
    task_losses(model, images, captions, training=False) -> (feature_loss, caption_loss)
        feature_loss = mean squared error between image_features_from_text(captions,
        training) and image_targets(images); caption_loss = mean sparse cross-entropy of
        caption_logits_from_image(images, training) against the caption ids, over every
        position (padding included). Both float32 scalars. The model is called through
        these two methods, passing training on.
    fixed_weight_loss(losses, weights) -> scalar: sum_i weights[i] * losses[i].
    UncertaintyWeighting(num_tasks=2): a keras layer with a trainable variable
        .log_vars of shape (num_tasks,), created in __init__ and initialised to 0 (s_i, the
        log-variance of task i). Called on a list of num_tasks scalar loss tensors ->
        scalar sum_i exp(-s_i) * L_i + s_i, with its gradient in both L and s.
    train_step(model, weighting, optimizer, images, captions)
        -> {"loss": scalar, "feature_loss": scalar, "caption_loss": scalar}
        One optimizer step on loss = weighting([feature_loss, caption_loss]), the two losses
        of task_losses(model, images, captions, training=True), applied once to every
        trainable variable of the model (shared encoder, stems and both heads) and to
        weighting.log_vars. Returns the three values from before the update.

    Checked by learning: up to 80 train_step calls (Adam(3e-3), batches of 64 drawn from 512
    toy examples, UncertaintyWeighting(2)); every 20 calls task_losses(..., training=False) on
    128 held-out examples is measured, and the check passes the first time it shows a
    feature_loss below 0.75 x that of predicting the mean image and a caption_loss below
    half of what it was before training.

    Pass tensors, not NumPy arrays, to the Keras models.

Grade with: python grade.py multitask_learning
"""

from __future__ import annotations

import keras
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

FEATURE_DIM = 49
HIDDEN = 32
CAPTION_LENGTH = 6


def image_targets(images):
    """Mean of each 4x4 pixel block, flattened to (batch, 49)."""
    raise NotImplementedError


class MultiTaskModel(keras.Model):
    """Modality stems -> one shared encoder (.shared) -> .feature_head (text->image) and .caption_head (image->text)."""

    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        # create the two stems, self.shared, self.feature_head and self.caption_head here
        raise NotImplementedError

    def image_features_from_text(self, captions, training=False):
        """Captions (batch, 6) -> predicted image features (batch, 49)."""
        raise NotImplementedError

    def caption_logits_from_image(self, images, training=False):
        """Images (batch, 28, 28, 1) -> caption logits (batch, 6, vocab_size)."""
        raise NotImplementedError

    def call(self, inputs, training=False):
        images, captions = inputs
        return self.image_features_from_text(captions, training), self.caption_logits_from_image(images, training)


def task_losses(model, images, captions, training=False):
    """(MSE of the text->image features, mean cross-entropy of the image->caption logits)."""
    raise NotImplementedError


def fixed_weight_loss(losses, weights):
    """sum_i weights[i] * losses[i]."""
    raise NotImplementedError


class UncertaintyWeighting(layers.Layer):
    """Learned loss weights: sum_i exp(-s_i) * L_i + s_i with trainable log-variances s (.log_vars, zeros at start)."""

    def __init__(self, num_tasks: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.num_tasks = num_tasks
        # create self.log_vars here
        raise NotImplementedError

    def call(self, losses):
        raise NotImplementedError


def train_step(model, weighting, optimizer, images, captions):
    """One step on the uncertainty-weighted sum of both task losses; returns {"loss", "feature_loss", "caption_loss"}."""
    raise NotImplementedError
