"""Sound answer: functional sub-models (BatchNormalization in the conv image stem, an LSTM text
stem, a wider shared encoder), block means by reshape, keras.losses functions, optimizer.apply."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers, ops

FEATURE_DIM = 49
HIDDEN = 32
CAPTION_LENGTH = 6


def image_targets(images):
    """Mean of each 4x4 pixel block, flattened to (batch, 49)."""
    x = ops.convert_to_tensor(images, dtype="float32")
    blocks = ops.reshape(x, (-1, 7, 4, 7, 4))  # (batch, block row, row in block, block col, col in block)
    return ops.reshape(ops.mean(blocks, axis=(2, 4)), (-1, FEATURE_DIM))


def _text_stem(vocab_size, dim):
    tokens = keras.Input((CAPTION_LENGTH,), dtype="int32")
    x = layers.Embedding(vocab_size, 24)(tokens)
    x = layers.LSTM(48, return_sequences=True)(x)
    x = layers.Flatten()(x)
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(x), name="text_stem")


def _image_stem(dim):
    images = keras.Input((28, 28, 1))
    x = layers.Conv2D(16, 3, padding="same", use_bias=False)(images)
    x = layers.BatchNormalization()(x)
    x = layers.Activation("relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    return keras.Model(images, layers.Dense(dim, activation="relu")(x), name="image_stem")


def _shared(dim):
    h = keras.Input((dim,))
    x = layers.Dense(64, activation="relu")(h)
    x = layers.Dense(64, activation="relu")(x)
    return keras.Model(h, x, name="shared")


class MultiTaskModel(keras.Model):
    """Modality stems -> one shared encoder (.shared) -> .feature_head (text->image) and .caption_head (image->text)."""

    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.text_stem = _text_stem(vocab_size, dim)
        self.image_stem = _image_stem(dim)
        self.shared = _shared(dim)
        h = keras.Input((64,))
        self.feature_head = keras.Model(h, layers.Dense(FEATURE_DIM)(h), name="feature_head")
        h = keras.Input((64,))
        logits = layers.Reshape((CAPTION_LENGTH, vocab_size))(layers.Dense(CAPTION_LENGTH * vocab_size)(h))
        self.caption_head = keras.Model(h, logits, name="caption_head")

    def image_features_from_text(self, captions, training=False):
        """Captions (batch, 6) -> predicted image features (batch, 49)."""
        shared = self.shared(self.text_stem(captions, training=training), training=training)
        return self.feature_head(shared, training=training)

    def caption_logits_from_image(self, images, training=False):
        """Images (batch, 28, 28, 1) -> caption logits (batch, 6, vocab_size)."""
        shared = self.shared(self.image_stem(images, training=training), training=training)
        return self.caption_head(shared, training=training)

    def call(self, inputs, training=False):
        images, captions = inputs
        return self.image_features_from_text(captions, training), self.caption_logits_from_image(images, training)


def task_losses(model, images, captions, training=False):
    """(MSE of the text->image features, mean cross-entropy of the image->caption logits)."""
    images = ops.convert_to_tensor(images, dtype="float32")
    captions = ops.convert_to_tensor(captions, dtype="int32")
    feature_loss = ops.mean(keras.losses.mean_squared_error(image_targets(images),
                                                           model.image_features_from_text(captions, training=training)))
    caption_loss = ops.mean(keras.losses.sparse_categorical_crossentropy(
        captions, model.caption_logits_from_image(images, training=training), from_logits=True))
    return ops.cast(feature_loss, "float32"), ops.cast(caption_loss, "float32")


def fixed_weight_loss(losses, weights):
    """sum_i weights[i] * losses[i]."""
    stacked = ops.stack([ops.reshape(ops.cast(loss, "float32"), ()) for loss in losses])
    return ops.sum(ops.convert_to_tensor(list(weights), dtype="float32") * stacked)


class UncertaintyWeighting(layers.Layer):
    """Learned loss weights: sum_i exp(-s_i) * L_i + s_i with trainable log-variances s (.log_vars, zeros at start)."""

    def __init__(self, num_tasks: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.num_tasks = num_tasks
        self.log_vars = self.add_weight(shape=(num_tasks,), initializer=keras.initializers.Zeros(), name="log_vars")

    def call(self, losses):
        stacked = ops.stack([ops.reshape(ops.cast(loss, "float32"), ()) for loss in losses])
        precision = ops.exp(-self.log_vars)
        return ops.sum(precision * stacked) + ops.sum(self.log_vars)


def train_step(model, weighting, optimizer, images, captions):
    """One step on the uncertainty-weighted sum of both task losses; returns {"loss", "feature_loss", "caption_loss"}."""
    variables = list(model.trainable_variables) + list(weighting.trainable_variables)
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    optimizer.apply(tape.gradient(loss, variables), variables)
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
