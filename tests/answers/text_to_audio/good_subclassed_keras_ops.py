"""Text to audio, written from the docstring: a subclassed keras.Model that owns a
functional encoder (Embedding + residual MLP with Dropout) and decoder (Dense stack,
tanh frames, ops.reshape), keras.ops for the STFT (ops.rfft on framed, windowed audio)
and the losses, and a train_step that uses the model's own trainable weights."""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

SAMPLE_RATE = 8000
SAMPLES_PER_TOKEN = 256
TEXT_DIM = 32
EPS = 1.0
STFT_RESOLUTIONS = ((64, 16), (128, 32), (256, 64))


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, t) -> features (batch, t, dim)."""
    tokens = keras.Input(shape=(None,), dtype="int32")
    e = layers.Embedding(vocab_size, dim)(tokens)
    h = layers.Dense(2 * dim, activation="relu")(e)
    h = layers.Dropout(0.05)(h)
    return keras.Model(tokens, layers.Add()([e, layers.Dense(dim)(h)]))


class _Frames(layers.Layer):
    """(batch, t, SAMPLES_PER_TOKEN) -> (batch, t * SAMPLES_PER_TOKEN)."""

    def call(self, x):
        shape = ops.shape(x)
        return ops.reshape(x, (shape[0], shape[1] * SAMPLES_PER_TOKEN))

    def compute_output_shape(self, input_shape):
        t = input_shape[1]
        return (input_shape[0], None if t is None else t * SAMPLES_PER_TOKEN)


def build_audio_decoder(dim: int = TEXT_DIM) -> keras.Model:
    """Features (batch, t, dim) -> waveform (batch, t * SAMPLES_PER_TOKEN) in [-1, 1]."""
    features = keras.Input(shape=(None, dim))
    h = layers.Dense(96, activation="relu")(features)
    h = layers.Dense(192, activation="relu")(h)
    frames = layers.Dense(SAMPLES_PER_TOKEN, activation="tanh")(h)
    return keras.Model(features, _Frames()(frames))


class TextToAudio(keras.Model):
    def __init__(self, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.encoder = build_text_encoder(vocab_size, TEXT_DIM)
        self.decoder = build_audio_decoder(TEXT_DIM)

    def call(self, tokens, training=False):
        return self.decoder(self.encoder(tokens, training=training), training=training)


def build_text_to_audio(vocab_size: int) -> keras.Model:
    """Tokens (batch, t) -> waveform (batch, t * SAMPLES_PER_TOKEN)."""
    model = TextToAudio(vocab_size)
    model(ops.zeros((1, 1), dtype="int32"))
    return model


def stft_magnitude(waveform, frame_length: int, hop: int):
    """|STFT| (batch, frames, frame_length // 2 + 1) with a Hann window."""
    x = ops.cast(ops.convert_to_tensor(waveform), "float32")
    n = ops.shape(x)[-1]
    frames_n = -(-n // hop)  # ceil: pad the end so every sample is in some frame
    pad = (frames_n - 1) * hop + frame_length - n
    x = ops.pad(x, [[0, 0], [0, pad]])
    idx = ops.arange(frames_n)[:, None] * hop + ops.arange(frame_length)[None, :]
    frames = ops.take(x, idx, axis=1)  # (batch, frames, frame_length)
    window = 0.5 - 0.5 * ops.cos(2.0 * np.pi * ops.arange(frame_length, dtype="float32") / frame_length)
    real, imag = ops.rfft(frames * window, fft_length=frame_length)
    return ops.sqrt(ops.square(real) + ops.square(imag))


def spectral_convergence(target_mag, predicted_mag):
    """||T - P||_F / ||T||_F over the whole batch."""
    num = ops.sqrt(ops.sum(ops.square(target_mag - predicted_mag)))
    den = ops.sqrt(ops.sum(ops.square(target_mag)))
    return ops.where(den > 0, num / ops.maximum(den, 1e-12), ops.where(num > 0, 1.0, 0.0))


def log_magnitude_loss(target_mag, predicted_mag):
    """Mean absolute difference of log magnitudes, with EPS inside each log."""
    return ops.mean(ops.abs(ops.log(target_mag + EPS) - ops.log(predicted_mag + EPS)))


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):
    """Mean over STFT resolutions of spectral convergence + log-magnitude L1."""
    losses = []
    for frame_length, hop in resolutions:
        t_mag, p_mag = stft_magnitude(target, frame_length, hop), stft_magnitude(predicted, frame_length, hop)
        losses.append(spectral_convergence(t_mag, p_mag) + log_magnitude_loss(t_mag, p_mag))
    return ops.mean(ops.stack(losses))


def train_step(model, optimizer, tokens, target_audio):
    """One update on the multi-resolution STFT loss; returns the loss before it."""
    tokens = ops.cast(ops.convert_to_tensor(tokens), "int32")
    target_audio = ops.cast(ops.convert_to_tensor(target_audio), "float32")
    with tf.GradientTape() as tape:
        loss = multi_resolution_stft_loss(target_audio, model(tokens, training=True))
    weights = model.trainable_weights
    optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    return loss


def synthesize(model, tokens) -> np.ndarray:
    """Waveforms for token sequences, as a float32 numpy array in [-1, 1]."""
    wave = model(ops.cast(ops.convert_to_tensor(tokens), "int32"), training=False)
    return np.asarray(ops.convert_to_numpy(wave), dtype=np.float32)
