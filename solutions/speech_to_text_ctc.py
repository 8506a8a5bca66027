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

Model answer (to say aloud)
    A log-magnitude spectrogram turns each 16 ms frame into its frequency content; the
    epsilon keeps silence finite. Normalising the features (standardised per clip, then a
    LayerNormalization over the bins of each frame) makes training much faster: raw log
    magnitudes sit far from 0, and CTC models stay stuck on "all blank" for longer.
    Two convolutions over time give each frame the context of its neighbours: nine frames,
    about two words of the toy audio, where a word lasts four frames (Wav2Letter-style
    recognisers are convolutional throughout). On real speech, where context spans seconds,
    a bidirectional GRU or LSTM, or a conformer, gives each frame more of it. A linear layer
    gives logits over the words plus blank. CTC marginalises over every alignment with a
    forward-backward dynamic programme, so no frame-level labels are needed. Details that
    break it silently: the blank index must match the model's output layout; label lengths
    must count real labels, not padding (or the model learns to say the padding id); logit
    lengths must count valid frames (after any striding); and the loss takes logits, so
    no softmax before it. A repeated label needs a blank between its copies, so the model
    needs at least as many frames as labels plus repeats. Greedy decoding takes the best
    class per frame, merges repeats, then removes blanks; beam search with a language
    model does better on real speech.

Checklist (what a strong spoken answer covers)
    - Log-magnitude spectrogram, epsilon for silence, normalised per clip and per frame to train fast
    - Per-frame logits over the vocabulary plus blank, with temporal context (convolutions or a BiLSTM)
    - CTC sums over all alignments that collapse to the labels (forward-backward): no frame labels needed
    - Blank index must match the model's output layout (here the last class; library defaults are 0)
    - Label lengths count real labels, not padding, else the model learns to emit the padding id
    - Logit lengths count valid frames (after any striding); the loss takes logits, no softmax before it
    - A repeated label needs a blank between its copies, so frames must be at least labels plus repeats
    - Greedy decoding: argmax per frame, merge repeats, then drop blanks; beam search with an LM is better
"""

from __future__ import annotations

import itertools

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from mmgen.toy_data import PAD, VOCAB_SIZE

SAMPLE_RATE = 8000
FRAME_LENGTH = 128
HOP = 64
NUM_BINS = FRAME_LENGTH // 2 + 1
BLANK = VOCAB_SIZE  # the last class
NUM_CLASSES = VOCAB_SIZE + 1


def spectrogram(waveform):
    """Log-magnitude STFT features (batch, frames, NUM_BINS), standardised per clip, finite on silence."""
    # The spectrum of tf.signal.stft(waveform, FRAME_LENGTH, HOP, pad_end=True) for clips (batch, samples)
    # whose length is known when traced (always so here): framing by one gather at indices computed in
    # NumPy builds a much smaller graph to trace.
    waveform = tf.convert_to_tensor(waveform, tf.float32)
    frames = -(-int(waveform.shape[-1]) // HOP)  # ceil(samples / HOP): the end is padded with zeros
    padded = tf.pad(waveform, [[0, 0], [0, (frames - 1) * HOP + FRAME_LENGTH - int(waveform.shape[-1])]])
    starts = np.arange(frames)[:, None] * HOP + np.arange(FRAME_LENGTH)[None, :]
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(FRAME_LENGTH) / FRAME_LENGTH)).astype(np.float32)  # periodic Hann
    spectrum = tf.signal.rfft(tf.gather(padded, starts, axis=1) * window, [FRAME_LENGTH])
    features = tf.math.log(tf.abs(spectrum) + 1e-3)
    mean, variance = tf.nn.moments(features, axes=[1, 2], keepdims=True)
    return (features - mean) / tf.sqrt(variance + 1e-6)


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:
    """Features (batch, frames, NUM_BINS) -> per-frame logits (batch, frames, num_classes)."""
    features = keras.Input(shape=(None, NUM_BINS))
    x = layers.LayerNormalization()(features)
    x = layers.Conv1D(64, 5, padding="same", activation="relu")(x)
    x = layers.Conv1D(64, 5, padding="same", activation="relu")(x)
    return keras.Model(features, layers.Dense(num_classes)(x), name="ctc_recogniser")


def ctc_loss(labels, logits, logit_lengths):
    """Per-example CTC loss with the blank as the last class and label lengths from the padding."""
    labels = ops.cast(labels, "int32")
    label_lengths = ops.sum(ops.cast(ops.not_equal(labels, PAD), "int32"), axis=-1)
    return ops.ctc_loss(labels, logits, label_lengths, ops.cast(logit_lengths, "int32"), mask_index=BLANK)


def train_step(model, optimizer, audio, labels):
    """One update on the mean CTC loss of a batch; returns the loss before it.

    Written eagerly; wrap it in tf.function to train fast (the checks do that for you).
    """
    audio, labels = tf.convert_to_tensor(audio, tf.float32), tf.convert_to_tensor(labels, tf.int32)
    features = spectrogram(audio)
    with tf.GradientTape() as tape:
        logits = model(features, training=True)
        frames = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])
        loss = tf.reduce_mean(ctc_loss(labels, logits, frames))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return loss


def greedy_decode(logits, logit_lengths=None) -> list[list[int]]:
    """Best class per frame, then merge repeats, then drop blanks."""
    best = np.asarray(logits).argmax(axis=-1)
    lengths = [best.shape[1]] * len(best) if logit_lengths is None else np.asarray(logit_lengths).tolist()
    out = []
    for row, length in zip(best, lengths):
        merged = [int(k) for k, _ in itertools.groupby(row[:length].tolist())]
        out.append([k for k in merged if k != BLANK])
    return out


def transcribe(model, audio) -> list[list[int]]:
    """Greedy transcription of waveforms (batch, samples)."""
    return greedy_decode(model(spectrogram(audio), training=False))
