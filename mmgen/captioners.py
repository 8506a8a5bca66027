"""Stand-in captioners for checking decoders: models whose next-token logits are known, so that a
greedy or beam decoder's output can be compared with the reference's token for token.

Both captioning exercises (the CNN + LSTM captioner and the transformer captioner) decode with the
same contract: call ``captioner([images, tokens], training=False)`` with the tokens so far and read
the logits at the last position.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from mmgen.checks import expect_shape
from mmgen.toy_data import END, PAD, START, VOCAB_SIZE

VOCAB = VOCAB_SIZE


class ScriptedCaptioner:
    """A stand-in captioner whose next token depends only on the last input token.

    ``table[a]`` holds the next-token probabilities after token ``a``; it answers
    ``model([images, tokens], training=False)`` with log-probabilities as logits.
    """

    def __init__(self, table: np.ndarray):
        self.logits = tf.constant(np.log(np.clip(table, 1e-9, None)), tf.float32)

    def __call__(self, inputs, training=False):
        _, tokens = inputs
        return tf.gather(self.logits, tf.cast(tokens, tf.int32))


def scripted(chain: dict, vocab: int = VOCAB) -> ScriptedCaptioner:
    """A captioner that always says chain[last token] (a sure next token); other tokens go to 3."""
    table = np.full((vocab, vocab), 1e-6)
    for a in range(vocab):
        table[a, chain.get(a, 3)] = 1.0
    return ScriptedCaptioner(table / table.sum(1, keepdims=True))


class PrefixCaptioner:
    """A stand-in captioner whose logits at position i are a fixed pseudo-random function of the
    image and of tokens 0..i, so a decoder that feeds back anything but the full prefix of its own
    image, or reads another position than the last, decodes something else.

    Its logits are real-valued (no ties); <end> grows likelier with the position (0.6 per step), so captions end
    at different lengths; PAD and <start> are never likely. It records how it was called:
    ``calls`` holds (images, tokens, training) for each call.
    """

    BUCKETS = 4093

    def __init__(self, seed: int = 0, vocab: int = VOCAB):
        rng = np.random.default_rng(seed)
        self.table = rng.normal(0.0, 1.5, (self.BUCKETS, vocab))
        self.table[:, [PAD, START]] = -20.0
        self.pixel_weights = rng.uniform(0.0, 1.0, 28 * 28)
        self.calls: list[tuple] = []

    def __call__(self, inputs, training=None):
        images, tokens = inputs
        self.calls.append((images, tokens, training))
        pixels = np.asarray(images, np.float64).reshape(len(images), -1)
        tokens = np.asarray(tokens, np.int64)
        key = np.floor(pixels @ self.pixel_weights * 1000).astype(np.int64) % self.BUCKETS
        logits = np.empty(tokens.shape + (self.table.shape[1],))
        for i in range(tokens.shape[1]):
            key = (key * 131 + tokens[:, i] * 7 + 3) % self.BUCKETS
            logits[:, i] = self.table[key]
            logits[:, i, END] += 0.6 * i
        return tf.constant(logits, tf.float32)


def random_images(n: int, seed: int) -> tf.Tensor:
    """n images of uniform noise in [0, 1] (a float32 tensor): each row gets its own captions from a PrefixCaptioner."""
    return tf.constant(np.random.default_rng(seed).uniform(0.0, 1.0, (n, 28, 28, 1)).astype(np.float32))


def expect_same_captions(call: str, got, expected: np.ndarray, why: str) -> None:
    """A decoder's ids must equal the reference's: same shape, int32, same id in every place;
    the message shows the first row that differs."""
    got = expect_shape(got, expected.shape, call)
    if got.dtype != np.int32:
        raise AssertionError(f"{call} returned dtype {got.dtype}; expected int32 token ids")
    wrong = np.flatnonzero((got != expected).any(axis=1))
    if wrong.size:
        row = int(wrong[0])
        raise AssertionError(
            f"{call} returned {got[row].tolist()} for image {row}; expected {expected[row].tolist()} ({why}; "
            f"{wrong.size} of {len(expected)} rows differ)"
        )
