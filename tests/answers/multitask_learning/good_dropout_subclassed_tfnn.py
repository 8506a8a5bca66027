"""Sound answer: Dropout in the stems and in the shared encoder, a conv image stem, tf.nn ops for
pooling and cross-entropy, tf.add_n for the fixed weights, a tf.function-compiled gradient."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers

FEATURE_DIM = 49
HIDDEN = 32
CAPTION_LENGTH = 6


def image_targets(images):
    """Mean of each 4x4 pixel block, flattened to (batch, 49)."""
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    pooled = tf.nn.avg_pool2d(images, ksize=4, strides=4, padding="VALID")  # (batch, 7, 7, 1)
    return tf.reshape(pooled, (-1, FEATURE_DIM))


class MultiTaskModel(keras.Model):
    """Modality stems -> one shared encoder (.shared) -> .feature_head (text->image) and .caption_head (image->text)."""

    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.vocab_size = vocab_size
        self.dim = dim
        self.text_stem = keras.Sequential([
            keras.Input((CAPTION_LENGTH,), dtype="int32"),
            layers.Embedding(vocab_size, 16),
            layers.Flatten(),
            layers.Dropout(0.1),
            layers.Dense(dim, activation="relu"),
        ], name="text_stem")
        self.image_stem = keras.Sequential([
            keras.Input((28, 28, 1)),
            layers.Conv2D(8, 3, strides=2, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(dim, activation="relu"),
        ], name="image_stem")
        self.shared = keras.Sequential([
            keras.Input((dim,)),
            layers.Dense(2 * dim, activation="relu"),
            layers.Dropout(0.1),
            layers.Dense(dim, activation="relu"),
        ], name="shared_encoder")
        self.feature_head = layers.Dense(FEATURE_DIM, name="feature_head")
        self.caption_head = keras.Sequential([
            keras.Input((dim,)),
            layers.Dense(CAPTION_LENGTH * vocab_size),
            layers.Reshape((CAPTION_LENGTH, vocab_size)),
        ], name="caption_head")
        self.feature_head.build((None, dim))

    def image_features_from_text(self, captions, training=False):
        """Captions (batch, 6) -> predicted image features (batch, 49)."""
        h = self.text_stem(captions, training=training)
        h = self.shared(h, training=training)
        return self.feature_head(h)

    def caption_logits_from_image(self, images, training=False):
        """Images (batch, 28, 28, 1) -> caption logits (batch, 6, vocab_size)."""
        h = self.image_stem(images, training=training)
        h = self.shared(h, training=training)
        return self.caption_head(h, training=training)

    def call(self, inputs, training=False):
        images, captions = inputs
        return self.image_features_from_text(captions, training), self.caption_logits_from_image(images, training)


def task_losses(model, images, captions, training=False):
    """(MSE of the text->image features, mean cross-entropy of the image->caption logits)."""
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    captions = tf.convert_to_tensor(captions, dtype=tf.int32)
    predicted = model.image_features_from_text(captions, training=training)
    feature_loss = tf.reduce_mean(tf.math.squared_difference(predicted, image_targets(images)))
    logits = model.caption_logits_from_image(images, training=training)
    caption_loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=captions, logits=logits))
    return feature_loss, caption_loss


def fixed_weight_loss(losses, weights):
    """sum_i weights[i] * losses[i]."""
    return tf.add_n([tf.cast(w, tf.float32) * tf.cast(loss, tf.float32) for w, loss in zip(weights, losses)])


class UncertaintyWeighting(layers.Layer):
    """Learned loss weights: sum_i exp(-s_i) * L_i + s_i with trainable log-variances s (.log_vars, zeros at start)."""

    def __init__(self, num_tasks: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.num_tasks = num_tasks
        self.log_vars = self.add_weight(name="log_vars", shape=(num_tasks,), initializer="zeros", trainable=True)

    def call(self, losses):
        total = 0.0
        for i in range(self.num_tasks):
            s = self.log_vars[i]
            total = total + tf.exp(-s) * tf.reshape(tf.cast(losses[i], tf.float32), ()) + s
        return total


@tf.function(reduce_retracing=True)
def _losses_and_gradients(model, weighting, images, captions):
    variables = model.trainable_variables + weighting.trainable_variables
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    return loss, feature_loss, caption_loss, tape.gradient(loss, variables)


def train_step(model, weighting, optimizer, images, captions):
    """One step on the uncertainty-weighted sum of both task losses; returns {"loss", "feature_loss", "caption_loss"}."""
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    captions = tf.convert_to_tensor(captions, dtype=tf.int32)
    loss, feature_loss, caption_loss, grads = _losses_and_gradients(model, weighting, images, captions)
    variables = model.trainable_variables + weighting.trainable_variables
    optimizer.apply_gradients(zip(grads, variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
