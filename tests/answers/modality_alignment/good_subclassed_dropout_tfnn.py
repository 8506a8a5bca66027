"""Sound answer: subclassed keras.Model encoders with BatchNormalization and Dropout,
tf.nn ops for the normalisation and the loss, a tf.function-compiled gradient computation."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers

EMBED_DIM = 32
TEMPERATURE = 0.1


def l2_normalize(x, epsilon: float = 1e-8):
    """Rows of ``x`` scaled to unit L2 norm (x * rsqrt(max(|x|^2, eps)))."""
    x = tf.convert_to_tensor(x, dtype=tf.float32)
    return tf.nn.l2_normalize(x, axis=-1, epsilon=epsilon)


def similarity_matrix(image_embeddings, text_embeddings):
    """Cosine similarity of every image (rows) with every text (columns)."""
    return tf.matmul(l2_normalize(image_embeddings), l2_normalize(text_embeddings), transpose_b=True)


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    """Symmetric InfoNCE: mean of the image->text and text->image cross-entropies."""
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature
    labels = tf.range(tf.shape(logits)[0])
    image_to_text = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
    text_to_image = tf.reduce_mean(
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.transpose(logits)))
    return 0.5 * (image_to_text + text_to_image)


def recall_at_k(similarity, k: int) -> float:
    """Fraction of rows whose own column is among the k highest scores of the row."""
    scores = tf.convert_to_tensor(np.asarray(similarity, dtype=np.float32))
    targets = tf.range(tf.shape(scores)[0])
    hits = tf.math.in_top_k(targets=targets, predictions=scores, k=int(k))
    return float(tf.reduce_mean(tf.cast(hits, tf.float64)).numpy())


class ImageEncoder(keras.Model):
    """Conv -> BN -> ReLU blocks, dropout, then a linear projection head."""

    def __init__(self, embed_dim: int = EMBED_DIM, **kwargs):
        super().__init__(**kwargs)
        self.conv1 = layers.Conv2D(24, 3, padding="same", use_bias=False)
        self.bn1 = layers.BatchNormalization()
        self.pool1 = layers.MaxPooling2D(2)
        self.conv2 = layers.Conv2D(32, 3, padding="same", use_bias=False)
        self.bn2 = layers.BatchNormalization()
        self.pool2 = layers.MaxPooling2D(2)
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(96, activation="relu")
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(embed_dim)  # linear projection head

    def call(self, images, training=False):
        x = self.pool1(tf.nn.relu(self.bn1(self.conv1(images), training=training)))
        x = self.pool2(tf.nn.relu(self.bn2(self.conv2(x), training=training)))
        x = self.dropout(self.hidden(self.flatten(x)), training=training)
        return self.head(x)


class TextEncoder(keras.Model):
    """Token + position embeddings, flattened, dropout, then a linear projection head."""

    def __init__(self, vocab_size: int, embed_dim: int = EMBED_DIM, length: int = 6, **kwargs):
        super().__init__(**kwargs)
        self.tokens = layers.Embedding(vocab_size, 24)
        self.positions = layers.Embedding(length, 24)
        self.length = length
        self.flatten = layers.Flatten()
        self.hidden = layers.Dense(96, activation="relu")
        self.dropout = layers.Dropout(0.1)
        self.head = layers.Dense(embed_dim)

    def call(self, captions, training=False):
        x = self.tokens(captions) + self.positions(tf.range(self.length))[None]
        x = self.dropout(self.hidden(self.flatten(x)), training=training)
        return self.head(x)


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) -> (batch, embed_dim), ending in a linear projection head."""
    model = ImageEncoder(embed_dim, name="image_encoder")
    model(tf.zeros((1, 28, 28, 1)))  # build the weights
    return model


def build_text_encoder(vocab_size: int, embed_dim: int = EMBED_DIM) -> keras.Model:
    """Captions (batch, 6) int32 -> (batch, embed_dim), ending in a linear projection head."""
    model = TextEncoder(vocab_size, embed_dim, name="text_encoder")
    model(tf.zeros((1, 6), dtype=tf.int32))
    return model


@tf.function(reduce_retracing=True)
def _loss_and_gradients(image_encoder, text_encoder, images, captions, temperature):
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True),
                                temperature)
    return loss, tape.gradient(loss, variables)


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    """One optimizer step on the contrastive loss, updating both encoders; returns the loss."""
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    captions = tf.convert_to_tensor(captions, dtype=tf.int32)
    loss, grads = _loss_and_gradients(image_encoder, text_encoder, images, captions,
                                      tf.constant(temperature, tf.float32))
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    optimizer.apply_gradients(zip(grads, variables))
    return loss
