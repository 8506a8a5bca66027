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

Model answer (to say aloud)
    A transformer captioner treats the image as a sequence too. A ViT-style stem cuts the
    image into patches, projects each to the model width and adds a learned position,
    because attention alone is blind to order; a CNN's feature map works the same way. The
    decoder block has three sub-layers, each wrapped in a residual connection and layer
    normalisation: causal self-attention over the caption so far, cross-attention whose
    queries come from the caption and whose keys and values come from the image tokens,
    and a position-wise feed-forward network. The causal mask lets position i attend only
    to positions up to i, which makes teacher forcing legitimate: all positions are trained
    in one pass with the caption shifted by one (inputs without the last token, targets
    without <start>), and the loss is averaged over real tokens only, since padding carries
    no signal. At inference the model has only its own outputs, so greedy decoding feeds
    back the argmax until <end> (beam search or sampling trade speed for quality, and a key
    and value cache avoids recomputing the prefix). Compared with the LSTM, the transformer
    trains all positions in parallel and attends to any patch directly, at a cost that grows
    with the square of the sequence length; the gap between teacher forcing and free running
    (exposure bias) remains, and models such as BLIP or Flamingo add large pretrained image
    encoders and cross-attention into a frozen language model.

Checklist (what a strong spoken answer covers)
    - Image as a sequence: patches (or CNN features) projected to the model width, plus learned positions
    - Decoder block: causal self-attention, cross-attention to the image tokens, feed-forward, each with residual and LayerNorm
    - Cross-attention: queries from the caption, keys and values from the image
    - The causal mask lets position i see only tokens up to i, so teacher forcing trains every position at once
    - Teacher forcing: inputs drop the last token, targets drop <start>; the loss averages over non-PAD targets only
    - Greedy decoding feeds back the argmax until <end>; beam search and a key/value cache are the usual upgrades
    - Parallel training and direct access to every patch, at a cost quadratic in the sequence length
    - Exposure bias remains; large systems (BLIP, Flamingo) add pretrained encoders and cross-attention into an LM
"""

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
    images = ops.convert_to_tensor(images, "float32")
    grid = 28 // patch
    squares = ops.reshape(images, (-1, grid, patch, grid, patch))
    return ops.reshape(ops.transpose(squares, (0, 1, 3, 2, 4)), (-1, grid * grid, patch * patch))


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
        x = self.norms[0](x + self.self_attention(x, x, use_causal_mask=True, training=training))
        x = self.norms[1](x + self.cross_attention(x, image_tokens, training=training))
        return self.norms[2](x + self.feed_forward(x, training=training))


class _Positions(layers.Layer):
    """A learned position vector added to each of the first ``length`` positions."""

    def __init__(self, length: int, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.table = self.add_weight(shape=(length, dim), initializer="random_normal", name="positions")

    def call(self, x):
        return x + self.table[None, : ops.shape(x)[1]]


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    # Patch tokens and caption tokens into one decoder block, then logits over the vocabulary.
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    patches = layers.Lambda(patch_tokens)(images)
    image_tokens = _Positions((28 // PATCH) ** 2, dim)(layers.Dense(dim)(patches))
    text = _Positions(MAX_LEN, dim)(layers.Embedding(vocab_size, dim)(tokens))
    hidden = DecoderBlock(dim, heads, ff_dim)(text, image_tokens)
    return keras.Model([images, tokens], layers.Dense(vocab_size)(hidden), name="transformer_captioner")


def _masked_loss(targets, logits):
    """Sparse cross-entropy summed over non-PAD targets, divided by their count."""
    mask = ops.cast(ops.not_equal(targets, PAD), "float32")
    losses = keras.losses.sparse_categorical_crossentropy(targets, logits, from_logits=True)
    return ops.sum(losses * mask) / ops.sum(mask)


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    captions = ops.cast(captions, "int32")
    inputs, targets = captions[:, :-1], captions[:, 1:]
    with tf.GradientTape() as tape:
        loss = _masked_loss(targets, captioner([images, inputs], training=True))
    gradients = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply_gradients(zip(gradients, captioner.trainable_variables))
    return loss


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = ops.convert_to_tensor(images, "float32")
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    finished = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, ops.convert_to_tensor(tokens)], training=False))
        step = np.where(finished, PAD, np.argmax(logits[:, -1], axis=-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        finished |= step == END
        if finished.all():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = np.asarray(targets)
    mask = targets != PAD
    return float(np.sum((np.argmax(np.asarray(logits), axis=-1) == targets) & mask) / np.sum(mask))
