"""A sound alternative: keras.ops.stft features (centred frames, log with a larger epsilon), a
recurrent model (a bidirectional LSTM, where the reference is convolutional) behind a
LayerNormalization, tf.nn.ctc_loss with an explicit blank_index, an eager training step, and a
decoder written as a loop.

It honours the contract with a different architecture from the reference, so it must get full points.
"""

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

SAMPLE_RATE = 8000
FRAME_LENGTH = 128
HOP = 64
NUM_BINS = FRAME_LENGTH // 2 + 1
BLANK = 13
NUM_CLASSES = 14


def spectrogram(waveform):
    real, imag = ops.stft(ops.convert_to_tensor(waveform, "float32"), FRAME_LENGTH, HOP, FRAME_LENGTH, window="hann", center=True)
    features = ops.log(ops.sqrt(real * real + imag * imag) + 1e-2)
    return (features - ops.mean(features, axis=(1, 2), keepdims=True)) / (ops.std(features, axis=(1, 2), keepdims=True) + 1e-3)


def build_model(num_classes=NUM_CLASSES):
    return keras.Sequential([
        keras.Input((None, NUM_BINS)),
        layers.LayerNormalization(),
        layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
        layers.Dense(num_classes),
    ])


def ctc_loss(labels, logits, logit_lengths):
    labels = tf.cast(labels, tf.int32)
    return tf.nn.ctc_loss(
        labels=labels, logits=tf.cast(logits, tf.float32),
        label_length=tf.math.count_nonzero(labels, axis=1, dtype=tf.int32),
        logit_length=tf.cast(logit_lengths, tf.int32), logits_time_major=False, blank_index=BLANK,
    )


def train_step(model, optimizer, audio, labels):
    features = spectrogram(audio)
    with tf.GradientTape() as tape:
        logits = model(features, training=True)
        loss = tf.reduce_mean(ctc_loss(labels, logits, tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss


def greedy_decode(logits, logit_lengths=None):
    best = ops.convert_to_numpy(ops.argmax(logits, axis=-1))
    lengths = np.full(len(best), best.shape[1]) if logit_lengths is None else ops.convert_to_numpy(logit_lengths)
    decoded = []
    for row, length in zip(best, lengths):
        words, previous = [], None
        for k in row[: int(length)]:
            if k != previous and k != BLANK:
                words.append(int(k))
            previous = k
        decoded.append(words)
    return decoded


def transcribe(model, audio):
    return greedy_decode(model(spectrogram(audio), training=False))
