"""Speech to text with CTC, written from the docstring: keras.ops.stft features standardised
per clip, a Sequential convolutional recogniser with Dropout and LayerNormalization,
tf.nn.ctc_loss (dense labels, blank_index = BLANK) and keras.ops.ctc_decode for greedy decoding."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from mmgen.toy_data import PAD, VOCAB_SIZE

SAMPLE_RATE = 8000
FRAME_LENGTH = 128
HOP = 64
NUM_BINS = FRAME_LENGTH // 2 + 1
BLANK = VOCAB_SIZE
NUM_CLASSES = VOCAB_SIZE + 1


def spectrogram(waveform):
    """Log-magnitude STFT features (batch, frames, NUM_BINS), standardised per clip, finite on silence."""
    x = ops.cast(ops.convert_to_tensor(waveform), "float32")
    real, imag = ops.stft(x, FRAME_LENGTH, HOP, FRAME_LENGTH, window="hann", center=False)
    features = ops.log(ops.sqrt(ops.square(real) + ops.square(imag)) + 1e-4)
    mean = ops.mean(features, axis=(1, 2), keepdims=True)
    std = ops.std(features, axis=(1, 2), keepdims=True)
    return (features - mean) / (std + 1e-3)


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:
    """Features (batch, frames, NUM_BINS) -> per-frame logits (batch, frames, num_classes)."""
    return keras.Sequential(
        [
            keras.Input(shape=(None, NUM_BINS)),
            layers.LayerNormalization(),
            layers.Conv1D(96, 5, padding="same", activation="relu"),
            layers.Dropout(0.1),
            layers.Conv1D(96, 5, padding="same", activation="relu"),
            layers.Dense(num_classes),
        ],
        name="conv_ctc",
    )


def ctc_loss(labels, logits, logit_lengths):
    """Per-example CTC loss with the blank as the last class and label lengths from the padding."""
    labels = tf.cast(labels, tf.int32)
    label_length = tf.math.count_nonzero(tf.not_equal(labels, PAD), axis=1, dtype=tf.int32)
    return tf.nn.ctc_loss(
        labels=labels,
        logits=tf.cast(logits, tf.float32),
        label_length=label_length,
        logit_length=tf.cast(logit_lengths, tf.int32),
        logits_time_major=False,
        blank_index=BLANK,
    )


def train_step(model, optimizer, audio, labels):
    """One update on the mean CTC loss of a batch; returns the loss before it."""
    features = spectrogram(tf.cast(audio, tf.float32))
    with tf.GradientTape() as tape:
        logits = model(features, training=True)
        batch, frames = tf.shape(logits)[0], tf.shape(logits)[1]
        loss = tf.reduce_mean(ctc_loss(labels, logits, tf.fill([batch], frames)))
    variables = model.trainable_variables
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def greedy_decode(logits, logit_lengths=None) -> list[list[int]]:
    """Best class per frame, then merge repeats, then drop blanks."""
    logits = ops.convert_to_tensor(np.asarray(logits, dtype=np.float32))
    batch, frames = int(logits.shape[0]), int(logits.shape[1])
    if logit_lengths is None:
        lengths = np.full((batch,), frames, np.int32)
    else:
        lengths = np.asarray(logit_lengths, dtype=np.int32).reshape(batch)
    decoded, _ = ops.ctc_decode(
        logits, ops.convert_to_tensor(lengths), strategy="greedy", merge_repeated=True, mask_index=BLANK
    )
    rows = np.asarray(decoded)[0]
    return [[int(k) for k in row if k >= 0] for row in rows]


def transcribe(model, audio) -> list[list[int]]:
    """Greedy transcription of waveforms (batch, samples)."""
    return greedy_decode(model(spectrogram(audio), training=False))
