"""Sound answer: functional encoders of other sizes (conv + dropout image tower, self-attention
text tower), keras.ops / keras.losses for the maths, top-k threshold for recall, optimizer.apply."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

EMBED_DIM = 32
TEMPERATURE = 0.1

_xent = keras.losses.SparseCategoricalCrossentropy(from_logits=True)  # mean over the batch


def l2_normalize(x, epsilon: float = 1e-8):
    """Rows of ``x`` scaled to unit L2 norm; a zero row stays zero thanks to epsilon."""
    x = ops.cast(ops.convert_to_tensor(x), "float32")
    norm = ops.sqrt(ops.sum(x * x, axis=1, keepdims=True))
    return x / (norm + epsilon)


def similarity_matrix(image_embeddings, text_embeddings):
    """Cosine similarity of every image (rows) with every text (columns)."""
    a = l2_normalize(image_embeddings)
    b = l2_normalize(text_embeddings)
    return ops.einsum("id,jd->ij", a, b)


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    """Symmetric InfoNCE: mean of the image->text and text->image cross-entropies."""
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature
    targets = ops.arange(ops.shape(logits)[0])
    return (_xent(targets, logits) + _xent(targets, ops.transpose(logits))) / 2.0


def recall_at_k(similarity, k: int) -> float:
    """Fraction of rows whose own column is among the k highest scores of the row."""
    scores = np.asarray(similarity, dtype=np.float64)
    n = scores.shape[1]
    kth = -np.partition(-scores, min(k, n) - 1, axis=1)[:, min(k, n) - 1]  # k-th largest of each row
    return float(np.mean(np.diagonal(scores) >= kth))


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) -> (batch, embed_dim), ending in a linear projection head."""
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Conv2D(32, 5, strides=2, padding="same", activation="gelu")(images)
    x = layers.Conv2D(48, 3, strides=2, padding="same", activation="gelu")(x)
    x = layers.Flatten()(x)
    x = layers.Dropout(0.2)(x)
    x = layers.Dense(128, activation="gelu")(x)
    return keras.Model(images, layers.Dense(embed_dim, name="projection")(x), name="image_tower")


def build_text_encoder(vocab_size: int, embed_dim: int = EMBED_DIM) -> keras.Model:
    """Captions (batch, 6) int32 -> (batch, embed_dim), ending in a linear projection head."""
    tokens = keras.Input(shape=(6,), dtype="int32")
    x = layers.Embedding(vocab_size, 32)(tokens)
    positions = layers.Embedding(6, 32)(ops.arange(6))
    x = x + positions
    x = layers.LayerNormalization()(x + layers.MultiHeadAttention(num_heads=2, key_dim=16)(x, x))
    x = layers.Flatten()(x)
    x = layers.Dropout(0.1)(x)
    x = layers.Dense(128, activation="gelu")(x)
    return keras.Model(tokens, layers.Dense(embed_dim, name="projection")(x), name="text_tower")


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    """One optimizer step on the contrastive loss, updating both encoders; returns the loss."""
    images = tf.convert_to_tensor(images, dtype=tf.float32)
    captions = tf.convert_to_tensor(captions, dtype=tf.int32)
    variables = list(image_encoder.trainable_variables) + list(text_encoder.trainable_variables)
    with tf.GradientTape() as tape:
        z_image = image_encoder(images, training=True)
        z_text = text_encoder(captions, training=True)
        loss = contrastive_loss(z_image, z_text, temperature)
    optimizer.apply(tape.gradient(loss, variables), variables)
    return loss
