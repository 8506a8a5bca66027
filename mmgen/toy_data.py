"""Deterministic toy scenes: one small grayscale image, its caption and its audio per sample.

Every scene is a filled shape (circle, square, triangle or cross) of a given size
(small or large) at one of eight positions on a 28x28 canvas. Its caption lists the
size, the shape and the position in that order, e.g. ``large circle top left``. Its
audio says the caption as tones: word ``i`` is a ``TONE_SAMPLES``-long sine at the word's
own frequency (``TONE_HZ``, 312.5 to 1156.25 Hz, each exactly on an FFT bin of a tone),
sampled at ``SAMPLE_RATE`` = 8 kHz and placed in slot ``i`` of ``AUDIO_SAMPLES``; slots
after the last word are silent. ``word_ids(captions)`` gives the word tokens that the
slots hold.

Captions are stored as token ids laid out as ``<start> word ... <end> <pad> ...``,
``MAX_LEN`` ids per caption, with ``<pad>`` = 0. Images are float32 in [0, 1],
shape (28, 28, 1), background 0 and shape 1. The same seed always gives the same data.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

PAD, START, END = 0, 1, 2
SIZES = ("small", "large")
SHAPES = ("circle", "square", "triangle", "cross")
POSITIONS = (
    ("top",),
    ("bottom",),
    ("left",),
    ("right",),
    ("top", "left"),
    ("top", "right"),
    ("bottom", "left"),
    ("bottom", "right"),
)
VOCAB = ("<pad>", "<start>", "<end>") + SIZES + SHAPES + ("top", "bottom", "left", "right")
VOCAB_SIZE = len(VOCAB)
TOKEN_ID = {word: index for index, word in enumerate(VOCAB)}
MAX_LEN = 6  # <start> size shape position(1 or 2 words) <end>, padded to 6
MAX_WORDS = MAX_LEN - 2  # caption words without <start> and <end>
SAMPLE_RATE = 8000  # audio samples per second
TONE_SAMPLES = 256  # samples per word (32 ms); its rfft bins are SAMPLE_RATE / TONE_SAMPLES = 31.25 Hz apart
AUDIO_SAMPLES = MAX_WORDS * TONE_SAMPLES
TONE_HZ = {word: 312.5 + 93.75 * i for i, word in enumerate(VOCAB[3:])}  # three bins apart
IMAGE_SIZE = 28
_HALF_EXTENT = {"small": 4, "large": 7}
_CENTRE = {"top": 8, "bottom": 19, "left": 8, "right": 19}


@dataclass(frozen=True)
class Scene:
    """What one sample shows: a shape of a size at a position."""

    size: str
    shape: str
    position: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        """The caption words, without special tokens."""
        return (self.size, self.shape) + self.position


@dataclass(frozen=True)
class ToyBatch:
    """Aligned samples: ``images`` (n, 28, 28, 1) float32, ``captions`` (n, MAX_LEN) int32,
    ``audio`` (n, AUDIO_SAMPLES) float32 in [-1, 1]."""

    images: np.ndarray
    captions: np.ndarray
    scenes: tuple[Scene, ...]
    audio: np.ndarray


def all_scenes() -> tuple[Scene, ...]:
    """Every distinct scene (2 sizes x 4 shapes x 8 positions = 64), in a fixed order."""
    return tuple(Scene(s, k, p) for s, k, p in itertools.product(SIZES, SHAPES, POSITIONS))


def encode(words: tuple[str, ...] | list[str]) -> np.ndarray:
    """Token ids ``<start> words <end>`` padded with ``<pad>`` to MAX_LEN, int32."""
    ids = [START] + [TOKEN_ID[w] for w in words] + [END]
    if len(ids) > MAX_LEN:
        raise ValueError(f"caption {words!r} is longer than {MAX_LEN - 2} words")
    return np.array(ids + [PAD] * (MAX_LEN - len(ids)), dtype=np.int32)


def decode(ids) -> list[str]:
    """Words of a token-id sequence, skipping ``<start>``/``<pad>`` and stopping at ``<end>``."""
    words = []
    for token in np.asarray(ids).tolist():
        if token == END:
            break
        if token not in (PAD, START):
            words.append(VOCAB[token])
    return words


def render(scene: Scene, rng: np.random.Generator | None = None) -> np.ndarray:
    """Draw one scene as a (28, 28, 1) float32 image in [0, 1]; ``rng`` jitters it by ±1 pixel."""
    cy = cx = (IMAGE_SIZE - 1) / 2
    for word in scene.position:
        if word in ("top", "bottom"):
            cy = _CENTRE[word]
        else:
            cx = _CENTRE[word]
    if rng is not None:
        cy += int(rng.integers(-1, 2))
        cx += int(rng.integers(-1, 2))
    r = _HALF_EXTENT[scene.size]
    y, x = np.mgrid[0:IMAGE_SIZE, 0:IMAGE_SIZE].astype(np.float32)
    dy, dx = y - cy, x - cx
    if scene.shape == "circle":
        mask = dy**2 + dx**2 <= r**2
    elif scene.shape == "square":
        mask = (np.abs(dy) <= r) & (np.abs(dx) <= r)
    elif scene.shape == "triangle":
        mask = (dy <= r) & (np.abs(dx) <= (dy + r) / 2)
    else:  # cross
        arm = max(1, r // 3)
        mask = ((np.abs(dy) <= r) & (np.abs(dx) <= arm)) | ((np.abs(dx) <= r) & (np.abs(dy) <= arm))
    return mask.astype(np.float32)[..., None]


def word_ids(captions) -> np.ndarray:
    """The word tokens of captions (n, MAX_LEN), without ``<start>``/``<end>``: (n, MAX_WORDS) int32,
    padded with ``<pad>``. Word ``i`` of a row is the tone in audio slot ``i``."""
    captions = np.asarray(captions)
    rows = [[t for t in row.tolist() if t not in (PAD, START, END)] for row in captions.reshape(-1, captions.shape[-1])]
    out = np.full((len(rows), MAX_WORDS), PAD, dtype=np.int32)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row[:MAX_WORDS]
    return out


def render_audio(words, rng: np.random.Generator | None = None) -> np.ndarray:
    """Say ``words`` as tones: (AUDIO_SAMPLES,) float32 in [-1, 1], one TONE_SAMPLES slot per word.

    Without ``rng`` every tone has amplitude 0.7 and phase 0. With ``rng`` each tone gets a
    random amplitude in [0.5, 0.9] and phase in [0, 2π), and light noise (std 0.01) is added
    to the sounding slots. Slots after the last word stay silent (exactly 0).
    """
    if len(words) > MAX_WORDS:
        raise ValueError(f"{words!r} has more than {MAX_WORDS} words")
    t = np.arange(TONE_SAMPLES) / SAMPLE_RATE
    audio = np.zeros(AUDIO_SAMPLES, dtype=np.float64)
    for i, word in enumerate(words):
        amplitude, phase = (0.7, 0.0) if rng is None else (rng.uniform(0.5, 0.9), rng.uniform(0.0, 2 * np.pi))
        tone = amplitude * np.sin(2 * np.pi * TONE_HZ[word] * t + phase)
        if rng is not None:
            tone += rng.normal(0.0, 0.01, TONE_SAMPLES)
        audio[i * TONE_SAMPLES : (i + 1) * TONE_SAMPLES] = tone
    return np.clip(audio, -1.0, 1.0).astype(np.float32)


def make_batch(n: int, seed: int = 0, scenes: tuple[Scene, ...] | None = None) -> ToyBatch:
    """``n`` samples drawn with a seeded generator, from ``scenes`` (default: all 64 scenes).

    Audio comes from its own generator (seeded from ``seed`` too), so images and captions
    are the same as they were before audio existed.
    """
    rng = np.random.default_rng(seed)
    pool = all_scenes() if scenes is None else tuple(scenes)
    picked = tuple(pool[i] for i in rng.integers(0, len(pool), size=n))
    images = np.stack([render(s, rng) for s in picked]) if n else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 1), np.float32)
    captions = np.stack([encode(s.words) for s in picked]) if n else np.zeros((0, MAX_LEN), np.int32)
    audio_rng = np.random.default_rng([seed, 1])
    audio = np.stack([render_audio(s.words, audio_rng) for s in picked]) if n else np.zeros((0, AUDIO_SAMPLES), np.float32)
    return ToyBatch(images=images, captions=captions, scenes=picked, audio=audio)
