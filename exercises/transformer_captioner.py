"""A transformer captioner: image patches as tokens, a causal decoder with cross-attention (seed §3.2, §6).

Interview question
    Today's image-to-text models replace the CNN + LSTM captioner with a transformer:
    the image becomes a sequence of patch tokens, and a decoder writes the caption one
    token at a time, attending causally to the words so far and, through cross-attention,
    to the image. Build one: patch tokens, a causal mask, a decoder block, the captioner,
    a teacher-forced training step, greedy decoding, and a per-token accuracy.

What to build (toy data: mmgen.toy_data; captions are (batch, MAX_LEN) int32 laid out as
<start> words <end> <pad>..., with PAD = 0, START = 1, END = 2)
    patch_tokens(images, patch=PATCH) -> float32 tensor (batch, (28 // patch)², patch * patch)
        Cuts (batch, 28, 28, 1) images into non-overlapping patch x patch squares; token
        r * (28 // patch) + c is the square in row r and column c of the grid, its pixels
        listed row by row. Built from keras.ops or tf (gradients reach the images).
    causal_mask(length) -> np.ndarray (length, length) bool
        True where query position i may attend to key position j, that is j <= i.
    DecoderBlock(dim, heads, ff_dim) (a keras.layers.Layer)
        block(x, image_tokens, training=None) -> (batch, t, dim): causal self-attention over
        x, cross-attention from x to image_tokens (batch, n, dim), and a feed-forward layer
        (ff_dim hidden units), each with a residual connection and layer normalisation
        (before or after each sub-layer: your choice). Position i of the output depends on
        x only through positions 0..i, for any t >= 1 and any n >= 1.
        keras.layers.MultiHeadAttention and hand-written attention are both fine.
    build_captioner(vocab_size, dim=DIM, heads=HEADS, ff_dim=FF_DIM) -> keras.Model
        captioner([images, tokens]) with images (batch, 28, 28, 1) in [0, 1] and tokens
        (batch, t) int32 for any 1 <= t <= MAX_LEN -> logits (batch, t, vocab_size) float32
        (no softmax). Image tokens: patch_tokens, a Dense to dim and a learned position per
        patch; text tokens: an Embedding of dim and positions (learned or sinusoidal); then
        one or more DecoderBlocks and a Dense to vocab_size. Position i predicts token
        i + 1 from tokens 0..i and the image.
    train_step(captioner, optimizer, images, captions) -> scalar loss
        Teacher forcing: inputs = captions[:, :-1], targets = captions[:, 1:]; the loss is
        the sparse cross-entropy from captioner([images, inputs], training=True), summed over
        the positions whose target is not PAD and divided by their count. One optimizer
        update of all the captioner's trainable variables; returns that loss, from before it.
    greedy_decode(captioner, images, max_len=MAX_LEN - 1) -> np.ndarray (batch, max_len) int32
        Starts every caption at <start>, calls captioner([images, tokens so far],
        training=False) and appends the argmax of the logits at the last position; returns
        the generated ids after <start>: each row ends with its first <end> and is PAD after
        it, or holds max_len tokens if no <end> came.
    token_accuracy(targets, logits) -> Python float in [0, 1]
        The fraction of the positions whose target is not PAD where the argmax of the logits
        is the target (so tokens after <end>, which are PAD, are not counted).

    Learning check: a fresh build_captioner(VOCAB_SIZE) gets 70 train_step calls with
    keras.optimizers.Adam(3e-3) on the 64 toy scenes as one batch (clean images, their
    captions); then the token accuracy of the teacher-forced logits on those captions must
    reach 0.9 (every word of every caption counts: size, shape, position, <end>). The model
    answer reaches 0.95-0.98 on three seeds. (Reproducing every caption exactly takes a block
    like this about 300 steps, more than a grading run can afford.)

    Pass tensors, not NumPy arrays, to the Keras models.

Grade with: python grade.py transformer_captioner
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import END, MAX_LEN, PAD, START  # noqa: F401

PATCH = 4
DIM = 64
HEADS = 4
FF_DIM = 128


def patch_tokens(images, patch: int = PATCH):
    """Non-overlapping patch x patch squares of each image, one token per square, row by row."""
    raise NotImplementedError


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    raise NotImplementedError


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        # create your sub-layers here

    def call(self, x, image_tokens, training=None):
        raise NotImplementedError


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    raise NotImplementedError


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    raise NotImplementedError


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    raise NotImplementedError


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    raise NotImplementedError
