"""A sound alternative: a conv image stem, a GRU text stem over masked tokens, lazily built layers,
Keras loss objects, log-variances created in build(), and an eager training step.

It honours the contract with a different design from the reference, so it must get full points.
"""

import keras
import tensorflow as tf
from keras import layers

FEATURE_DIM = 49
HIDDEN = 48
CAPTION_LENGTH = 6
_mse = keras.losses.MeanSquaredError()
_ce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def image_targets(images):
    images = tf.cast(images, tf.float32)
    blocks = tf.reshape(images, (-1, 7, 4, 7, 4))
    return tf.reshape(tf.reduce_mean(blocks, axis=(2, 4)), (-1, FEATURE_DIM))


class MultiTaskModel(keras.Model):
    def __init__(self, vocab_size, dim=HIDDEN, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab_size, 16, mask_zero=True)
        self.gru = layers.GRU(dim)
        self.conv = layers.Conv2D(8, 5, strides=3, activation="relu")
        self.image_dense = layers.Dense(dim, activation="relu")
        self.shared = keras.Sequential([layers.Dense(dim, activation="gelu"), layers.LayerNormalization()])
        self.feature_head = layers.Dense(FEATURE_DIM, activation="sigmoid")
        self.caption_head = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(CAPTION_LENGTH * vocab_size),
                                              layers.Reshape((CAPTION_LENGTH, vocab_size))])

    def image_features_from_text(self, captions, training=False):
        text = self.gru(self.embed(captions), training=training)
        return self.feature_head(self.shared(text, training=training))

    def caption_logits_from_image(self, images, training=False):
        image = self.image_dense(layers.Flatten()(self.conv(images)))
        return self.caption_head(self.shared(image, training=training))


def task_losses(model, images, captions, training=False):
    feature_loss = _mse(image_targets(images), model.image_features_from_text(captions, training=training))
    caption_loss = _ce(captions, model.caption_logits_from_image(images, training=training))
    return feature_loss, caption_loss


def fixed_weight_loss(losses, weights):
    return tf.reduce_sum(tf.constant(weights, tf.float32) * tf.stack([tf.cast(l, tf.float32) for l in losses]))


class UncertaintyWeighting(layers.Layer):
    def __init__(self, num_tasks=2, **kwargs):
        super().__init__(**kwargs)
        self.num_tasks = num_tasks
        self.build(None)

    def build(self, input_shape):
        if not self.built:
            self.log_vars = self.add_weight(shape=(self.num_tasks,), initializer="zeros", name="log_vars")
            self.built = True

    def call(self, losses):
        losses = tf.reshape(tf.stack(losses), (-1,))
        precision = tf.exp(-self.log_vars)
        return tf.reduce_sum(precision * losses) + tf.reduce_sum(self.log_vars)


def train_step(model, weighting, optimizer, images, captions):
    with tf.GradientTape() as tape:
        feature_loss, caption_loss = task_losses(model, images, captions, training=True)
        loss = weighting([feature_loss, caption_loss])
    variables = model.trainable_variables + weighting.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return {"loss": loss, "feature_loss": feature_loss, "caption_loss": caption_loss}
