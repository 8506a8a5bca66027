"""Image captioning: a CNN encoder and a recurrent decoder that sees the image (seed §3.2, coding task 2).

Interview question
    Build a model that writes a caption for an image. The seed's version flattens the
    image into an LSTM and then decodes text without ever giving the decoder the image;
    yours must condition the decoder on the image, train it with teacher forcing and a
    loss that ignores padding, and generate captions greedily (beam search is a bonus).

What to build (toy data: mmgen.toy_data; captions are (batch, MAX_LEN) int32 laid out as
<start> words <end> <pad>..., with PAD = 0, START = 1, END = 2)
    build_image_encoder(dim=HIDDEN) -> keras.Model
        images (batch, 28, 28, 1) float32 in [0, 1] -> (batch, dim) float32.
    build_captioner(vocab_size, hidden=HIDDEN) -> keras.Model
        called as captioner([images, tokens]): tokens (batch, t) int32, any t >= 1 ->
        logits (batch, t, vocab_size) float32 (no softmax). Position i predicts token i + 1
        and may only look at tokens 0..i and the image; the image must reach the decoder
        (through its initial state, or as an input at every step).
    teacher_forcing(captions) -> (inputs, targets)
        both (batch, MAX_LEN - 1) int32: inputs = captions[:, :-1], targets = captions[:, 1:].
    masked_loss(targets, logits) -> scalar float32
        targets (batch, t) int32 with at least one non-PAD id, logits (batch, t, vocab) float32:
        sparse cross-entropy from logits, averaged over the positions whose target is not PAD
        (the sum over real tokens divided by their count), numerically stable for large logits.
    train_step(captioner, optimizer, images, captions) -> scalar loss
        one teacher-forced update on all trainable variables: the gradient of
        masked_loss(targets, captioner([images, inputs], training=True)) applied once with
        optimizer; returns that loss, the one before the update.
    greedy_decode(captioner, images, max_len=MAX_LEN - 1) -> np.ndarray (batch, max_len) int32
        starts every caption at <start>, feeds back the most likely token, and returns the
        generated ids after <start>: each row ends with its first <end> and is PAD after it,
        or holds max_len tokens if no <end> came.
    beam_search(captioner, images, beam_width=3, max_len=MAX_LEN - 1) -> same as greedy_decode
        (bonus) keeps the beam_width most likely prefixes, ranked by the sum of token
        log-probabilities (no length normalisation); finished captions stay in the beam.
        beam_width=1 gives greedy_decode's result.

    The decoders talk to the model only by calling captioner([images, tokens], training=False)
    with the tokens so far (the first call passes <start> alone), and use the logits at the last
    position. Pass tensors, not NumPy arrays, to Keras models.

How the learning checks train
    A fresh build_captioner(VOCAB_SIZE) gets 60 train_step calls with keras.optimizers.Adam(5e-3)
    on one batch of 64 toy examples (mmgen.toy_data.make_batch(64, 10)). The last loss must be
    below half the first, and greedy_decode (max_len = MAX_LEN - 1) must then return at least 60
    of the 64 training captions word for word (the reference gets all 64 within 40 steps).

Grade with: python grade.py image_captioning
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import END, MAX_LEN, PAD, START  # noqa: F401

HIDDEN = 64
EMBED = 32


def build_image_encoder(dim: int = HIDDEN) -> keras.Model:
    """Images (batch, 28, 28, 1) -> one feature vector per image (batch, dim)."""
    raise NotImplementedError


def build_captioner(vocab_size: int, hidden: int = HIDDEN) -> keras.Model:
    """[images, tokens (batch, t)] -> next-token logits (batch, t, vocab_size); the decoder must see the image."""
    raise NotImplementedError


def teacher_forcing(captions):
    """Decoder inputs (all but the last token) and targets (all but <start>)."""
    raise NotImplementedError


def masked_loss(targets, logits):
    """Mean sparse cross-entropy over the positions whose target is not PAD."""
    raise NotImplementedError


def train_step(captioner, optimizer, images, captions):
    """One teacher-forced update; returns the masked loss before it."""
    raise NotImplementedError


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    raise NotImplementedError


def beam_search(captioner, images, beam_width: int = 3, max_len: int = MAX_LEN - 1) -> np.ndarray:
    """(Bonus) keep the beam_width best prefixes by summed log-probability; return the best caption per image."""
    raise NotImplementedError
