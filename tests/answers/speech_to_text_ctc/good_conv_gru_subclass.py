"""Speech to text with CTC, written from the docstring: hand-made framing + Hann window +
rfft features, a subclassed keras.Model (per-frame normalisation, Conv1D, unidirectional
GRU over time with a residual), keras.ops.ctc_loss with mask_index = BLANK, and a plain
Python greedy decoder that compares each frame with the previous one."""

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
_LOG_FLOOR = 1e-2


def spectrogram(waveform):
    """Log-magnitude STFT features (batch, frames, NUM_BINS), standardised per clip, finite on silence."""
    x = tf.cast(waveform, tf.float32)
    frames = tf.signal.frame(x, FRAME_LENGTH, HOP, pad_end=True)
    frames = frames * tf.signal.hann_window(FRAME_LENGTH)
    magnitude = tf.abs(tf.signal.rfft(frames, fft_length=[FRAME_LENGTH]))
    features = tf.math.log(magnitude + _LOG_FLOOR)
    mean = tf.reduce_mean(features, axis=[1, 2], keepdims=True)
    var = tf.reduce_mean(tf.square(features - mean), axis=[1, 2], keepdims=True)
    return (features - mean) * tf.math.rsqrt(var + 1e-5)


class Recogniser(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.norm = layers.LayerNormalization()
        self.conv = layers.Conv1D(64, 5, padding="same", activation="relu")
        self.gru = layers.GRU(64, return_sequences=True)
        self.head = layers.Dense(num_classes)

    def call(self, features, training=False):
        h = self.conv(self.norm(features))
        h = h + self.gru(h, training=training)
        return self.head(h)


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:
    """Features (batch, frames, NUM_BINS) -> per-frame logits (batch, frames, num_classes)."""
    model = Recogniser(num_classes)
    model(tf.zeros((1, 2, NUM_BINS)))  # create the weights
    return model


def ctc_loss(labels, logits, logit_lengths):
    """Per-example CTC loss with the blank as the last class and label lengths from the padding."""
    labels = ops.cast(labels, "int32")
    label_lengths = ops.cast(ops.sum(ops.where(labels == PAD, 0, 1), axis=1), "int32")
    return ops.ctc_loss(labels, logits, label_lengths, ops.cast(logit_lengths, "int32"), mask_index=BLANK)


def train_step(model, optimizer, audio, labels):
    """One update on the mean CTC loss of a batch; returns the loss before it."""
    audio = tf.convert_to_tensor(audio, tf.float32)
    labels = tf.convert_to_tensor(labels, tf.int32)
    features = spectrogram(audio)
    batch, frames = tf.shape(features)[0], tf.shape(features)[1]
    with tf.GradientTape() as tape:
        logits = model(features, training=True)
        loss = ops.mean(ctc_loss(labels, logits, tf.fill([batch], frames)))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    return loss


def greedy_decode(logits, logit_lengths=None) -> list[list[int]]:
    """Best class per frame, then merge repeats, then drop blanks."""
    best = np.argmax(np.asarray(logits), axis=-1)
    result = []
    for i, row in enumerate(best):
        n = len(row) if logit_lengths is None else int(np.asarray(logit_lengths)[i])
        words, previous = [], None
        for k in row[:n].tolist():
            if k != previous and k != BLANK:
                words.append(int(k))
            previous = k
        result.append(words)
    return result


def transcribe(model, audio) -> list[list[int]]:
    """Greedy transcription of waveforms (batch, samples)."""
    return greedy_decode(model(spectrogram(audio), training=False))
