"""A sound alternative: a subclassed keras.Model whose conv stem's 7x7 map gives the image tokens, keras MultiHeadAttention, a tf.function train step."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import END, MAX_LEN, PAD, START

PATCH = 4
DIM = 64
HEADS = 4
FF_DIM = 128
GRID = 7  # the stem halves 28 twice: a 7x7 map, one image token per cell (as many as 4x4 patches)


def patch_tokens(images, patch: int = PATCH):
    """Non-overlapping patch x patch squares of each image, one token per square, row by row."""
    images = tf.cast(images, tf.float32)
    grid = 28 // patch
    side = grid * patch
    squares = tf.image.extract_patches(
        images[:, :side, :side, :1], sizes=[1, patch, patch, 1], strides=[1, patch, patch, 1], rates=[1, 1, 1, 1], padding="VALID"
    )  # (batch, grid, grid, patch * patch), each square's pixels row by row
    return tf.reshape(squares, (-1, grid * grid, patch * patch))


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    return np.tril(np.ones((length, length), dtype=bool))


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.feed_forward = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(dim)])
        self.norms = [layers.LayerNormalization() for _ in range(3)]

    def call(self, x, image_tokens, training=None):
        h = self.norms[0](x)
        x = x + self.self_attention(h, h, use_causal_mask=True, training=training)
        h = self.norms[1](x)
        x = x + self.cross_attention(h, image_tokens, training=training)
        return x + self.feed_forward(self.norms[2](x), training=training)


class ConvStemCaptioner(keras.Model):
    """A small conv stem (28 -> 14 -> 7) whose 49 cells, plus a learned position each, are the image tokens;
    an embedded caption with learned positions goes through two decoder blocks to next-token logits."""

    def __init__(self, vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM, **kwargs):
        super().__init__(**kwargs)
        self.stem = keras.Sequential(
            [
                layers.Conv2D(32, 3, strides=2, padding="same", activation="relu"),
                layers.Conv2D(dim, 3, strides=2, padding="same"),
            ]
        )
        self.image_position = self.add_weight(
            shape=(GRID * GRID, dim), initializer=keras.initializers.RandomNormal(stddev=0.5), name="image_position"
        )
        self.embed = layers.Embedding(vocab_size, dim)
        self.text_position = layers.Embedding(MAX_LEN, dim)
        self.blocks = [DecoderBlock(dim, heads, ff_dim) for _ in range(2)]
        self.final_norm = layers.LayerNormalization()
        self.head = layers.Dense(vocab_size)

    def image_tokens(self, images):
        cells = self.stem(tf.cast(images, tf.float32))  # (batch, 7, 7, dim)
        return tf.reshape(cells, (-1, GRID * GRID, cells.shape[-1])) + self.image_position[None]

    def call(self, inputs, training=None):
        images, tokens = inputs
        memory = self.image_tokens(images)
        tokens = tf.cast(tokens, tf.int32)
        x = self.embed(tokens) + self.text_position(tf.range(tf.shape(tokens)[1]))[None]
        for block in self.blocks:
            x = block(x, memory, training=training)
        return self.head(self.final_norm(x))


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    model = ConvStemCaptioner(vocab_size, dim, heads, ff_dim)
    model([tf.zeros((1, 28, 28, 1)), tf.fill((1, MAX_LEN), START)])  # create every weight now
    return model


@tf.function(reduce_retracing=True)
def _compiled_step(captioner, optimizer, images, captions):
    inputs, targets = captions[:, :-1], captions[:, 1:]
    with tf.GradientTape() as tape:
        logits = captioner([images, inputs], training=True)
        losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=targets, logits=logits)
        counted = tf.cast(targets != PAD, tf.float32)
        loss = tf.math.divide_no_nan(tf.reduce_sum(losses * counted), tf.reduce_sum(counted))
    variables = captioner.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    images = tf.convert_to_tensor(images, tf.float32)
    captions = tf.convert_to_tensor(captions, tf.int32)
    if not optimizer.built:  # its slots are variables: make them outside the compiled step
        optimizer.build(captioner.trainable_variables)
    return _compiled_step(captioner, optimizer, images, captions)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    for step in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        chosen = logits[:, -1, :].argmax(axis=-1).astype(np.int32)
        out[:, step] = np.where(done, PAD, chosen)
        done |= chosen == END
        tokens = np.concatenate([tokens, chosen[:, None]], axis=1)
        if done.all():
            break
    return out


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = tf.cast(tf.convert_to_tensor(targets), tf.int32)
    predicted = tf.argmax(tf.convert_to_tensor(logits), axis=-1, output_type=tf.int32)
    counted = tf.cast(targets != PAD, tf.float64)
    right = tf.cast(tf.equal(predicted, targets), tf.float64) * counted
    return float(tf.math.divide_no_nan(tf.reduce_sum(right), tf.reduce_sum(counted)))
