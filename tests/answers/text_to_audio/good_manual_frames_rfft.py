"""Text to audio, written from the docstring: Sequential encoder with LayerNormalization,
Conv1DTranspose decoder (kernel = stride = SAMPLES_PER_TOKEN), and an STFT built by hand
from tf.signal.frame, a Hann window and tf.signal.rfft; losses with tf.math / tf.norm."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops  # noqa: F401

SAMPLE_RATE = 8000
SAMPLES_PER_TOKEN = 256
TEXT_DIM = 32
EPS = 1.0
STFT_RESOLUTIONS = ((64, 16), (128, 32), (256, 64))


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, t) -> features (batch, t, dim)."""
    return keras.Sequential(
        [
            keras.Input(shape=(None,), dtype="int32"),
            layers.Embedding(vocab_size, 48),
            layers.LayerNormalization(),
            layers.Dense(dim, activation="gelu"),
        ],
        name="encoder",
    )


def build_audio_decoder(dim: int = TEXT_DIM) -> keras.Model:
    """Features (batch, t, dim) -> waveform (batch, t * SAMPLES_PER_TOKEN) in [-1, 1]."""
    features = keras.Input(shape=(None, dim))
    h = layers.Dense(160, activation="relu")(features)
    # one transposed convolution step per token: kernel = stride = SAMPLES_PER_TOKEN
    wave = layers.Conv1DTranspose(1, SAMPLES_PER_TOKEN, strides=SAMPLES_PER_TOKEN, activation="tanh")(h)
    wave = layers.Lambda(lambda w: ops.squeeze(w, -1))(wave)
    return keras.Model(features, wave, name="decoder")


def build_text_to_audio(vocab_size: int) -> keras.Model:
    """Tokens (batch, t) -> waveform (batch, t * SAMPLES_PER_TOKEN)."""
    encoder, decoder = build_text_encoder(vocab_size), build_audio_decoder()
    tokens = keras.Input(shape=(None,), dtype="int32")
    return keras.Model(tokens, decoder(encoder(tokens)), name="tts")


def stft_magnitude(waveform, frame_length: int, hop: int):
    """|STFT| (batch, frames, frame_length // 2 + 1) with a Hann window."""
    x = tf.cast(waveform, tf.float32)
    frames = tf.signal.frame(x, frame_length, hop, pad_end=True)
    frames = frames * tf.signal.hann_window(frame_length, dtype=tf.float32)
    return tf.abs(tf.signal.rfft(frames, fft_length=[frame_length]))


def spectral_convergence(target_mag, predicted_mag):
    """||T - P||_F / ||T||_F over the whole batch."""
    target_mag, predicted_mag = tf.cast(target_mag, tf.float32), tf.cast(predicted_mag, tf.float32)
    diff = tf.norm(tf.reshape(target_mag - predicted_mag, [-1]))
    ref = tf.norm(tf.reshape(target_mag, [-1]))
    return diff / tf.maximum(ref, 1e-6)


def log_magnitude_loss(target_mag, predicted_mag):
    """Mean absolute difference of log magnitudes, with EPS inside each log."""
    target_mag, predicted_mag = tf.cast(target_mag, tf.float32), tf.cast(predicted_mag, tf.float32)
    return tf.reduce_mean(tf.abs(tf.math.log(target_mag + EPS) - tf.math.log(predicted_mag + EPS)))


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):
    """Mean over STFT resolutions of spectral convergence + log-magnitude L1."""
    terms = []
    for frame_length, hop in resolutions:
        t_mag = stft_magnitude(target, frame_length, hop)
        p_mag = stft_magnitude(predicted, frame_length, hop)
        terms.append(spectral_convergence(t_mag, p_mag) + log_magnitude_loss(t_mag, p_mag))
    return tf.add_n(terms) / float(len(terms))


def train_step(model, optimizer, tokens, target_audio):
    """One update on the multi-resolution STFT loss; returns the loss before it."""
    tokens = tf.cast(tokens, tf.int32)
    target_audio = tf.cast(target_audio, tf.float32)
    variables = model.trainable_variables
    with tf.GradientTape() as tape:
        loss = multi_resolution_stft_loss(target_audio, model(tokens, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss


def synthesize(model, tokens) -> np.ndarray:
    """Waveforms for token sequences, as a float32 numpy array in [-1, 1]."""
    out = model(tf.cast(tokens, tf.int32), training=False)
    return np.clip(keras.ops.convert_to_numpy(out).astype(np.float32), -1.0, 1.0)
