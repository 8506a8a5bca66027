"""Speech to text with CTC: spectrogram features, per-frame logits, CTC loss and greedy decoding
(seed §3.3, audio to text; the seed names the task but gives no code).

Interview question
    Build a small recogniser that reads the toy audio back as words. The audio and the
    words are not aligned frame by frame, and their lengths differ, so train it with CTC:
    the model emits a distribution over the vocabulary plus a blank symbol for every
    frame, and the loss sums over all alignments that collapse to the label sequence.
    Be exact about the blank index, the label lengths and the logit lengths, and decode
    greedily.

What to build (toy data: mmgen.toy_data; the audio (batch, 1024) says up to 4 words as
256-sample tones; labels are toy_data.word_ids(captions): (batch, 4) int32, padded at the end with PAD = 0)
    spectrogram(waveform) -> (batch, frames, FRAME_LENGTH // 2 + 1) float32, finite
        log(|STFT| + epsilon) with FRAME_LENGTH = 128 and HOP = 64 (frames is about
        samples / HOP); finite for silence. Standardising each clip's features to mean 0
        and variance 1 (or normalising them inside the model) is strongly recommended:
        raw log magnitudes sit far from 0 and slow CTC training down a lot; normalising
        each frame inside the model as well (a LayerNormalization over the bins) makes
        convolutional models train far more reliably.
    build_model(num_classes=NUM_CLASSES) -> keras.Model
        features (batch, frames, NUM_BINS) -> logits (batch, frames, num_classes) float32:
        one unnormalised score vector per input frame (no softmax), for any number of frames.
    ctc_loss(labels, logits, logit_lengths) -> (batch,) float32
        the CTC negative log-likelihood of each example. labels (batch, max_len) int32 padded
        with PAD (the label length of a row is its number of non-PAD ids); logits as above;
        logit_lengths (batch,) int32, frames past a row's length are ignored. The blank is
        class BLANK = VOCAB_SIZE, the last class (keras.ops.ctc_loss's mask_index and
        tf.nn.ctc_loss's blank_index both default to 0: pass it).
    train_step(model, optimizer, audio, labels) -> scalar
        spectrogram, model (called with training=True), mean ctc_loss over the batch with
        every frame valid; one update (one optimizer.apply_gradients) of all trainable
        variables by the gradient of that loss; returns the loss before the update.
    greedy_decode(logits, logit_lengths=None) -> list of lists of Python int
        per row: the argmax class of each frame (up to its length; every frame when
        logit_lengths is None), repeats collapsed, then blanks (and only blanks: class 0
        stays) dropped; e.g. frames 5 5 _ 5 7 give [5, 5, 7].
    transcribe(model, audio) -> list of lists of Python int:
        greedy_decode(model(spectrogram(audio), training=False)).

    Pass tensors, not NumPy arrays, to Keras models.

How learning is checked: a fresh build_model(), then up to 150 train_step calls (compiled
with tf.function when it traces) with keras.optimizers.Adam(3e-3) on batches of 32 clips
drawn with replacement from toy_data.make_batch(512, seed=1); after 50, 100 and 150 calls,
transcribe must read at least 95% of 200 held-out clips (make_batch(200, seed=2)) as exactly
their words, and the loss of the last call must be below half that of the first. The
reference reads them all after 50 calls, two Conv1D(96, 3) layers too, a bidirectional LSTM
after 150.

Grade with: python grade.py speech_to_text_ctc
"""

from __future__ import annotations

import itertools  # noqa: F401

import keras
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

from mmgen.toy_data import PAD, VOCAB_SIZE  # noqa: F401

SAMPLE_RATE = 8000
FRAME_LENGTH = 128
HOP = 64
NUM_BINS = FRAME_LENGTH // 2 + 1
BLANK = VOCAB_SIZE  # the last class
NUM_CLASSES = VOCAB_SIZE + 1


def spectrogram(waveform):
    """Log-magnitude STFT features (batch, frames, NUM_BINS), finite on silence (standardised per clip: recommended)."""
    raise NotImplementedError


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:
    """Features (batch, frames, NUM_BINS) -> per-frame logits (batch, frames, num_classes)."""
    raise NotImplementedError


def ctc_loss(labels, logits, logit_lengths):
    """Per-example CTC loss (batch,) with the blank as the last class and label lengths from the padding."""
    raise NotImplementedError


def train_step(model, optimizer, audio, labels):
    """One update on the mean CTC loss of a batch; returns the loss before it."""
    raise NotImplementedError


def greedy_decode(logits, logit_lengths=None) -> list[list[int]]:
    """Best class per frame, then merge repeats, then drop blanks."""
    raise NotImplementedError


def transcribe(model, audio) -> list[list[int]]:
    """Greedy transcription of waveforms (batch, samples)."""
    raise NotImplementedError
