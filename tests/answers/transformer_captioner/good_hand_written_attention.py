"""A sound alternative: hand-written multi-head attention masked by causal_mask, pre-norm blocks with Dropout, sinusoidal text positions."""

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
DROPOUT = 0.1
BLOCKS = 2


def patch_tokens(images, patch: int = PATCH):
    """Non-overlapping patch x patch squares of each image, one token per square, row by row."""
    images = tf.cast(images, tf.float32)
    grid = 28 // patch
    side = grid * patch
    x = images[:, :side, :side, 0]  # (batch, side, side)
    x = tf.reshape(x, (-1, grid, patch, grid, patch))  # (batch, row, y in patch, column, x in patch)
    x = tf.transpose(x, (0, 1, 3, 2, 4))  # (batch, row, column, y, x)
    return tf.reshape(x, (-1, grid * grid, patch * patch))


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    index = np.arange(int(length))
    return index[:, None] >= index[None, :]


def _self_mask(x):
    """(t, t) bool mask for the sequence x (batch, t, dim): causal_mask when t is known, else the same in tf."""
    length = x.shape[1]
    if length is not None:
        return tf.constant(causal_mask(length))
    t = tf.shape(x)[1]
    return tf.cast(tf.linalg.band_part(tf.ones((t, t)), -1, 0), tf.bool)


class ManualAttention(layers.Layer):
    """Multi-head scaled dot-product attention written out: project, split heads, mask, softmax, merge."""

    def __init__(self, dim: int, heads: int, **kwargs):
        super().__init__(**kwargs)
        if dim % heads:
            raise ValueError(f"dim {dim} is not a multiple of heads {heads}")
        self.dim, self.heads, self.depth = dim, heads, dim // heads
        self.query = layers.Dense(dim)
        self.key = layers.Dense(dim)
        self.value = layers.Dense(dim)
        self.out = layers.Dense(dim)

    def _split(self, x):
        batch, length = tf.shape(x)[0], tf.shape(x)[1]
        x = tf.reshape(x, (batch, length, self.heads, self.depth))
        return tf.transpose(x, (0, 2, 1, 3))  # (batch, heads, length, depth)

    def call(self, queries, keys, allowed=None):
        q = self._split(self.query(queries))
        k = self._split(self.key(keys))
        v = self._split(self.value(keys))
        scores = tf.matmul(q, k, transpose_b=True) / tf.sqrt(tf.cast(self.depth, q.dtype))  # (batch, heads, tq, tk)
        if allowed is not None:
            scores = tf.where(allowed, scores, tf.constant(-1e9, scores.dtype))  # (tq, tk) broadcasts
        weights = tf.nn.softmax(scores, axis=-1)
        mixed = tf.transpose(tf.matmul(weights, v), (0, 2, 1, 3))  # (batch, tq, heads, depth)
        mixed = tf.reshape(mixed, (tf.shape(queries)[0], tf.shape(queries)[1], self.dim))
        return self.out(mixed)


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = ManualAttention(dim, heads)
        self.cross_attention = ManualAttention(dim, heads)
        self.ff_hidden = layers.Dense(ff_dim, activation="gelu")
        self.ff_out = layers.Dense(dim)
        self.norm_self = layers.LayerNormalization(epsilon=1e-5)
        self.norm_cross = layers.LayerNormalization(epsilon=1e-5)
        self.norm_ff = layers.LayerNormalization(epsilon=1e-5)
        self.drop_self = layers.Dropout(DROPOUT)
        self.drop_cross = layers.Dropout(DROPOUT)
        self.drop_ff = layers.Dropout(DROPOUT)

    def call(self, x, image_tokens, training=None):
        h = self.norm_self(x)
        x = x + self.drop_self(self.self_attention(h, h, allowed=_self_mask(x)), training=training)
        h = self.norm_cross(x)
        x = x + self.drop_cross(self.cross_attention(h, image_tokens), training=training)
        h = self.norm_ff(x)
        return x + self.drop_ff(self.ff_out(self.ff_hidden(h)), training=training)


def _sinusoids(length: int, dim: int) -> np.ndarray:
    """The fixed sin/cos position table of 'Attention is all you need', (length, dim) float32."""
    position = np.arange(length)[:, None]
    rate = 1.0 / 10000.0 ** (2 * (np.arange(dim) // 2) / dim)
    angle = position * rate[None, :]
    return np.where(np.arange(dim) % 2 == 0, np.sin(angle), np.cos(angle)).astype(np.float32)


class ImageTokens(layers.Layer):
    """patch_tokens, a Dense to dim and a learned position per patch."""

    def __init__(self, dim: int, patch: int = PATCH, **kwargs):
        super().__init__(**kwargs)
        self.patch = patch
        self.count = (28 // patch) ** 2
        self.project = layers.Dense(dim)
        self.position = self.add_weight(
            shape=(self.count, dim), initializer=keras.initializers.RandomNormal(stddev=0.5), name="patch_position"
        )

    def call(self, images):
        return self.project(patch_tokens(images, self.patch)) + self.position[None]


class TextTokens(layers.Layer):
    """An Embedding of dim plus fixed sinusoidal positions, sliced to the sequence's length."""

    def __init__(self, vocab_size: int, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.embed = layers.Embedding(vocab_size, dim)
        self.scale = float(np.sqrt(dim))
        self.table = tf.constant(_sinusoids(max(MAX_LEN, 64), dim))

    def call(self, tokens):
        length = tf.shape(tokens)[1]
        return self.embed(tokens) * self.scale + self.table[None, :length]


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    images = keras.Input((28, 28, 1), name="images")
    tokens = keras.Input((None,), dtype="int32", name="tokens")
    image_tokens = ImageTokens(dim)(images)
    x = layers.Dropout(DROPOUT)(TextTokens(vocab_size, dim)(tokens))
    for _ in range(BLOCKS):
        x = DecoderBlock(dim, heads, ff_dim)(x, image_tokens)
    x = layers.LayerNormalization(epsilon=1e-5)(x)
    logits = layers.Dense(vocab_size, name="logits")(x)
    return keras.Model([images, tokens], logits, name="hand_written_captioner")


def _masked_loss(targets, logits):
    losses = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    keep = tf.cast(tf.not_equal(targets, PAD), losses.dtype)
    return tf.reduce_sum(losses * keep) / tf.maximum(tf.reduce_sum(keep), 1.0)


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    images = tf.convert_to_tensor(images, tf.float32)
    captions = tf.convert_to_tensor(captions, tf.int32)
    inputs, targets = captions[:, :-1], captions[:, 1:]
    variables = captioner.trainable_variables
    with tf.GradientTape() as tape:
        loss = _masked_loss(targets, captioner([images, inputs], training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    for _ in range(max_len):
        logits = captioner([images, tf.constant(tokens)], training=False)
        step = ops.convert_to_numpy(ops.argmax(logits[:, -1, :], axis=-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
    out = tokens[:, 1:]
    is_end = out == END
    after_end = (np.cumsum(is_end, axis=1) - is_end) > 0  # strictly after the first <end>
    return np.where(after_end, PAD, out).astype(np.int32)


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = np.asarray(targets)
    predicted = np.argmax(np.asarray(logits), axis=-1)
    keep = targets != PAD
    if not keep.any():
        return 0.0
    return float(np.mean(predicted[keep] == targets[keep]))
