"""Deterministic toy scenes: one small grayscale image and its caption per sample.

Every scene is a filled shape (circle, square, triangle or cross) of a given size
(small or large) at one of eight positions on a 28x28 canvas. Its caption lists the
size, the shape and the position in that order, e.g. ``large circle top left``.

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
    """Aligned samples: ``images`` (n, 28, 28, 1) float32, ``captions`` (n, MAX_LEN) int32."""

    images: np.ndarray
    captions: np.ndarray
    scenes: tuple[Scene, ...]


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


def make_batch(n: int, seed: int = 0, scenes: tuple[Scene, ...] | None = None) -> ToyBatch:
    """``n`` samples drawn with a seeded generator, from ``scenes`` (default: all 64 scenes)."""
    rng = np.random.default_rng(seed)
    pool = all_scenes() if scenes is None else tuple(scenes)
    picked = tuple(pool[i] for i in rng.integers(0, len(pool), size=n))
    images = np.stack([render(s, rng) for s in picked]) if n else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE, 1), np.float32)
    captions = np.stack([encode(s.words) for s in picked]) if n else np.zeros((0, MAX_LEN), np.int32)
    return ToyBatch(images=images, captions=captions, scenes=picked)
