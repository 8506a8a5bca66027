"""A sound alternative: a functional model written in keras.ops, post-norm blocks, learned positions, greedy decoding that stops once every row has ended."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from mmgen.toy_data import END, MAX_LEN, PAD, START

PATCH = 4
DIM = 64
HEADS = 4
FF_DIM = 128


def patch_tokens(images, patch: int = PATCH):
    """Non-overlapping patch x patch squares of each image, one token per square, row by row."""
    grid = 28 // patch
    side = grid * patch
    x = ops.cast(images, "float32")[:, :side, :side, 0]
    x = ops.reshape(x, (-1, grid, patch, grid, patch))
    x = ops.transpose(x, (0, 1, 3, 2, 4))  # (batch, grid row, grid column, pixel row, pixel column)
    return ops.reshape(x, (-1, grid * grid, patch * patch))


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    rows, cols = np.indices((length, length))
    return cols <= rows


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.hidden = layers.Dense(ff_dim, activation="relu")
        self.project = layers.Dense(dim)
        self.after_self = layers.LayerNormalization()
        self.after_cross = layers.LayerNormalization()
        self.after_ff = layers.LayerNormalization()

    def call(self, x, image_tokens, training=None):
        batch, length = ops.shape(x)[0], ops.shape(x)[1]
        position = ops.arange(length)
        allowed = ops.expand_dims(position, 1) >= ops.expand_dims(position, 0)  # causal_mask(length), built in ops
        allowed = ops.broadcast_to(ops.expand_dims(allowed, 0), (batch, length, length))
        x = self.after_self(x + self.self_attention(x, x, attention_mask=allowed, training=training))
        x = self.after_cross(x + self.cross_attention(x, image_tokens, training=training))
        return self.after_ff(x + self.project(self.hidden(x)))


def _positions(sequence):
    """0, 1, ..., length - 1 for every row of a (batch, length, ...) tensor, as int32 (batch, length)."""
    ones = ops.ones_like(ops.cast(sequence[:, :, 0] if len(sequence.shape) == 3 else sequence, "int32"))
    return ops.cumsum(ones, axis=1) - 1


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    images = keras.Input((28, 28, 1), name="images")
    tokens = keras.Input((None,), dtype="int32", name="tokens")

    patches = patch_tokens(images)  # keras.ops on symbolic tensors: part of the graph
    image_positions = layers.Embedding(patches.shape[1], dim, embeddings_initializer="random_normal", name="patch_position")
    memory = layers.Dense(dim, name="patch_embedding")(patches) + image_positions(_positions(patches))

    text_positions = layers.Embedding(MAX_LEN, dim, name="text_position")
    x = layers.Embedding(vocab_size, dim, name="token_embedding")(tokens) + text_positions(_positions(tokens))
    x = DecoderBlock(dim, heads, ff_dim, name="block_0")(x, memory)
    x = DecoderBlock(dim, heads, ff_dim, name="block_1")(x, memory)
    logits = layers.Dense(vocab_size, name="logits")(x)
    return keras.Model([images, tokens], logits, name="functional_ops_captioner")


def _masked_loss(targets, logits):
    losses = ops.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    counted = ops.cast(ops.not_equal(targets, PAD), losses.dtype)
    return ops.sum(losses * counted) / ops.maximum(ops.sum(counted), 1.0)


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    images = ops.convert_to_tensor(images, "float32")
    captions = ops.convert_to_tensor(captions, "int32")
    inputs, targets = captions[:, :-1], captions[:, 1:]
    with tf.GradientTape() as tape:
        loss = _masked_loss(targets, captioner([images, inputs], training=True))
    gradients = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply(gradients, captioner.trainable_variables)
    return loss


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = tf.convert_to_tensor(images, tf.float32)
    batch = tf.shape(images)[0]
    tokens = tf.fill((batch, 1), START)
    ended = tf.zeros((batch,), tf.bool)
    for _ in range(max_len):
        logits = captioner([images, tokens], training=False)
        chosen = tf.argmax(logits[:, -1, :], axis=-1, output_type=tf.int32)
        tokens = tf.concat([tokens, chosen[:, None]], axis=1)
        ended = ended | tf.equal(chosen, END)
        if bool(tf.reduce_all(ended)):
            break
    generated = tokens[:, 1:]
    is_end = tf.cast(tf.equal(generated, END), tf.int32)
    after_end = (tf.cumsum(is_end, axis=1) - is_end) > 0  # strictly after the row's first <end>
    out = tf.where(after_end, tf.constant(PAD, tf.int32), generated).numpy().astype(np.int32)
    return np.pad(out, ((0, 0), (0, max_len - out.shape[1])), constant_values=PAD)


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = ops.convert_to_tensor(targets, "int32")
    predicted = ops.cast(ops.argmax(ops.convert_to_tensor(logits), axis=-1), "int32")
    counted = ops.not_equal(targets, PAD)
    right = ops.logical_and(counted, ops.equal(predicted, targets))
    total = int(ops.convert_to_numpy(ops.sum(ops.cast(counted, "int32"))))
    return float(ops.convert_to_numpy(ops.sum(ops.cast(right, "int32")))) / total if total else 0.0
