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

Model answer (to say aloud)
    When modalities do not line up there are three answers, and I would pick by the
    task. Fusion merges features of both modalities inside one network, by
    concatenation, a learned gate or attention; it fits when one output needs both
    inputs, like visual question answering. Alignment gives each modality its own
    encoder into one shared space and trains it contrastively, so matching image and
    text land close together; it fits retrieval and conditioning a generator, and it
    needs many pairs and large batches.

    Multi-task learning, this exercise, trains one shared encoder on several tasks at
    once, here text to image features and image to caption. Each task's gradient
    shapes the shared weights, so they are pushed toward what both directions need,
    which regularises a small data set and transfers knowledge between directions.
    The price is balance: the losses have different units and scales, so a plain sum
    lets the largest dominate. Fixed weights work but need a search. Learned
    uncertainty weighting gives each task a log-variance s and minimises
    exp(-s) L + s: a noisy or large loss gets a larger s and a smaller weight, and
    the +s term stops s from growing without bound. Alternatives are GradNorm,
    which equalises gradient norms, and PCGrad, which removes the conflicting part
    of two gradients.

    Likely follow-ups. How do you know tasks conflict? The cosine between their
    gradients on the shared weights is negative, or one task's validation loss
    rises when the other is added. What if one task has far more data? Sample
    batches per task by a schedule or temperature. Why does the shared encoder
    need both gradients? If one branch is detached, it stops being shared and you
    have two single-task models. What does s converge to? Setting the gradient
    -exp(-s) L + 1 to zero gives s = log L.

Checklist (what a strong spoken answer covers)
    - One shared encoder, a stem per modality, a head per task (text to image features, image to caption)
    - Both tasks' gradients shape the shared weights, so they hold what both modalities have in common
    - Detaching one branch breaks the sharing: the result is two single-task models
    - Losses differ in units and scale: a plain sum lets the largest dominate; fixed weights need a search
    - Uncertainty weighting: log-variance s per task, minimise exp(-s) L + s; noisy tasks get less weight
    - The + s term stops s from growing without bound; at the optimum s = log L
    - Detects task conflict from a negative cosine between task gradients on the shared weights
    - Names alternatives: GradNorm (equalise gradient norms) and PCGrad (remove the conflicting component)
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

FEATURE_DIM = 49
HIDDEN = 32
CAPTION_LENGTH = 6


def image_targets(images):
    """Mean of each 4x4 pixel block, flattened to (batch, 49)."""
    images = ops.convert_to_tensor(images, dtype="float32")
    pooled = ops.average_pool(images, pool_size=4, strides=4, padding="valid")  # (batch, 7, 7, 1)
    return ops.reshape(pooled, (-1, FEATURE_DIM))


class MultiTaskModel(keras.Model):
    """Modality stems -> one shared encoder -> a text->image-feature head and an image->caption head."""

    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.text_stem = keras.Sequential(
            [keras.Input((CAPTION_LENGTH,), dtype="int32"), layers.Embedding(vocab_size, 8), layers.Flatten(),
             layers.Dense(dim, activation="relu")], name="text_stem")
        self.image_stem = keras.Sequential(
            [keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(dim, activation="relu")], name="image_stem")
        self.shared = keras.Sequential(
            [keras.Input((dim,)), layers.Dense(dim, activation="relu")], name="shared")
        self.feature_head = keras.Sequential([keras.Input((dim,)), layers.Dense(FEATURE_DIM)], name="feature_head")
        self.caption_head = keras.Sequential(
            [keras.Input((dim,)), layers.Dense(CAPTION_LENGTH * vocab_size), layers.Reshape((CAPTION_LENGTH, vocab_size))],
            name="caption_head")

    def image_features_from_text(self, captions, training=False):
        """Captions (batch, 6) -> predicted image features (batch, 49)."""
        return self.feature_head(self.shared(self.text_stem(captions, training=training), training=training), training=training)

    def caption_logits_from_image(self, images, training=False):
        """Images (batch, 28, 28, 1) -> caption logits (batch, 6, vocab_size)."""
        return self.caption_head(self.shared(self.image_stem(images, training=training), training=training), training=training)

    def call(self, inputs, training=False):
        images, captions = inputs
        return self.image_features_from_text(captions, training), self.caption_logits_from_image(images, training)


def task_losses(model, images, captions, training=False):
    """(MSE of the text->image features, mean cross-entropy of the image->caption logits)."""
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = ops.mean(ops.square(predicted - image_targets(images)))
    logits = model.caption_logits_from_image(images, training=training)
    caption_loss = ops.mean(ops.sparse_categorical_crossentropy(captions, logits, from_logits=True))
    return feature_loss, caption_loss


def fixed_weight_loss(losses, weights):
    """sum_i weights[i] * losses[i]."""
    return sum(float(w) * ops.convert_to_tensor(loss, dtype="float32") for w, loss in zip(weights, losses))


class UncertaintyWeighting(layers.Layer):
    """Learned loss weights: sum_i exp(-s_i) * L_i + s_i with trainable log-variances s."""

    def __init__(self, num_tasks: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.num_tasks = num_tasks
        self.log_vars = self.add_weight(shape=(num_tasks,), initializer="zeros", trainable=True, name="log_vars")

    def call(self, losses):
        if isinstance(losses, (list, tuple)):
            losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        return ops.sum(ops.exp(-self.log_vars) * losses + self.log_vars)


def train_step(model, weighting, optimizer, images, captions):
    """One step on the uncertainty-weighted sum; the shared encoder gets gradients from both tasks.

    Plain eager code; wrap it in tf.function for speed in a training loop (the checks do).
    """
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
