"""Text to audio: token ids in, a waveform out, trained with a multi-resolution STFT loss
(seed §3.4 and coding task 3).

Interview question
    Build a small text-to-audio model and its training loss. The seed's version squeezes a
    whole sentence into one sigmoid number and trains it with binary cross-entropy against
    random audio; yours must produce a real waveform of a known length for a token sequence
    and compare it with the target in the frequency domain, where a waveform's phase does
    not matter: a multi-resolution STFT loss (spectral convergence plus log-magnitude L1).

What to build (toy data: mmgen.toy_data; word i of a caption is a 256-sample tone in slot i
of the audio, at the word's own frequency, with random amplitude and phase; PAD = 0 is silence)
    build_text_encoder(vocab_size, dim=TEXT_DIM) -> keras.Model
        tokens (batch, t) int32 -> per-token features (batch, t, dim) float32.
    build_audio_decoder(dim=TEXT_DIM) -> keras.Model
        features (batch, t, dim) -> waveform (batch, t * SAMPLES_PER_TOKEN) float32 in [-1, 1]:
        each token becomes one frame of SAMPLES_PER_TOKEN samples (frames x hop with
        hop = SAMPLES_PER_TOKEN), for any t. (Splitting a token into shorter frames also
        works but learns much more slowly than the step budget of the checks allows.)
    build_text_to_audio(vocab_size) -> keras.Model
        tokens (batch, t) -> waveform (batch, t * SAMPLES_PER_TOKEN) in [-1, 1] (encoder + decoder).
    stft_magnitude(waveform, frame_length, hop) -> (batch, frames, frame_length // 2 + 1) float32 >= 0
        |STFT| with a Hann window and fft_length = frame_length (magnitude, not power, not log).
    spectral_convergence(target_mag, predicted_mag) -> scalar
        ||T - P||_F / ||T||_F over the whole batch: 0 when P = T, 1 when P is silent.
    log_magnitude_loss(target_mag, predicted_mag) -> scalar
        mean |log(T + EPS) - log(P + EPS)|: finite when either side is silent. EPS = 1.0 sets
        the floor of the log compression: bins well below it count almost linearly, so the
        near-silent bins cannot drown the tones (with EPS = 1e-5 they would dominate the loss).
    multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS) -> scalar
        waveforms (batch, samples); the mean over (frame_length, hop) in resolutions of
        spectral_convergence + log_magnitude_loss of their STFT magnitudes.
    train_step(model, optimizer, tokens, target_audio) -> scalar loss
        one update of all trainable variables on multi_resolution_stft_loss(target_audio,
        model(tokens)); returns the loss before the update.
    synthesize(model, tokens) -> np.ndarray (batch, t * SAMPLES_PER_TOKEN) float32 in [-1, 1]

    Pass tensors, not NumPy arrays, to Keras models.

Grade with: python grade.py text_to_audio
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

SAMPLE_RATE = 8000
SAMPLES_PER_TOKEN = 256
TEXT_DIM = 32
EPS = 1.0  # floor of the log compression, in magnitude units (tone peaks are about 10 to 45)
STFT_RESOLUTIONS = ((64, 16), (128, 32), (256, 64))  # (frame_length, hop)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:
    """Token ids (batch, t) -> features (batch, t, dim)."""
    raise NotImplementedError


def build_audio_decoder(dim: int = TEXT_DIM) -> keras.Model:
    """Features (batch, t, dim) -> waveform (batch, t * SAMPLES_PER_TOKEN) in [-1, 1]."""
    raise NotImplementedError


def build_text_to_audio(vocab_size: int) -> keras.Model:
    """Tokens (batch, t) -> waveform (batch, t * SAMPLES_PER_TOKEN)."""
    raise NotImplementedError


def stft_magnitude(waveform, frame_length: int, hop: int):
    """|STFT| (batch, frames, frame_length // 2 + 1) with a Hann window."""
    raise NotImplementedError


def spectral_convergence(target_mag, predicted_mag):
    """||T - P||_F / ||T||_F over the whole batch."""
    raise NotImplementedError


def log_magnitude_loss(target_mag, predicted_mag):
    """Mean absolute difference of log magnitudes, with EPS inside each log."""
    raise NotImplementedError


def multi_resolution_stft_loss(target, predicted, resolutions=STFT_RESOLUTIONS):
    """Mean over STFT resolutions of spectral convergence + log-magnitude L1."""
    raise NotImplementedError


def train_step(model, optimizer, tokens, target_audio):
    """One update on the multi-resolution STFT loss; returns the loss before it."""
    raise NotImplementedError


def synthesize(model, tokens) -> np.ndarray:
    """Waveforms for token sequences, as a float32 numpy array in [-1, 1]."""
    raise NotImplementedError
