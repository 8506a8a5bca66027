"""Handling modality imbalance (seed §4, question 3).

Interview question
    In a multimodal data set one modality or pair type is rare (say, few image-caption
    pairs next to many captions alone), and in a fused model one modality learns fast and
    dominates while the other's encoder barely trains. What do you do about the data, the
    loss and the optimisation?

What to build (group labels are strings or integers, e.g. "image+text" or 0, 3, 7; K is the
number of distinct labels, which need not be 0..K-1; groups is a list or a 1-D array)
    oversample_indices(groups, seed=0) -> np.ndarray int64 of shape (K * largest,)
        K groups; every group ends up with exactly as many entries as the largest one.
        Each sample of a smaller group appears at least once; its remaining
        (largest - count) entries are drawn uniformly WITH replacement from that group.
        The samples of a largest group appear once each. Shuffle the whole result, so that
        the groups are mixed. All randomness comes from np.random.default_rng(seed): same
        seed, same indices; different seeds, different indices.
    augment_images(images, seed=0, max_shift=1, noise_std=0.05) -> np.ndarray float32
        (n, 28, 28, 1) in [0, 1]: each image moved by its own random whole-pixel offset,
        drawn for each axis from [-max_shift, max_shift] (every offset in that range can
        occur; vacated pixels become 0), plus independent Gaussian noise of std noise_std
        on every pixel of every image (added before or after the shift), clipped to [0, 1].
        Same seed, same output; different seeds, different output. It must keep the caption
        true: no flips or rotations (the caption names the position).
    inverse_frequency_weights(groups) -> np.ndarray float32 (n,)
        w_i = n / (K * count(group of i)): a group's weight is inverse to its frequency,
        every group carries the same total n / K, and the weights sum to n.
    learning_rate_at(step, base_rate, decay_rate, decay_steps) -> float
        exponential decay: base_rate * decay_rate ** (step / decay_steps) (not staircase).
    make_optimizers(base_rates, decay_rate=0.5, decay_steps=100) -> dict[str, keras optimizer]
        one plain SGD optimizer (no momentum: an update moves each variable by minus the
        learning rate times its gradient) per key of base_rates (e.g. "image", "text",
        "head"), whose learning rate after t updates is
        learning_rate_at(t, base_rates[key], decay_rate, decay_steps).
    train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None) -> scalar
        encoders: {"image": model, "text": model}; inputs: the same keys; labels: (batch,)
        class ids; weights: (batch,) per-example weights (their sum need not be the batch
        size). The head sees concatenate([encoders[m](inputs[m]) for m in MODALITIES],
        axis=-1) and returns class logits (batch, classes). loss = sum_i w_i * CE_i / sum_i w_i
        (sparse softmax cross-entropy from logits; w_i = 1 when weights is None). Each
        encoder's gradient of that loss goes to optimizers[m], multiplied by modulation[m]
        when modulation is given; the head's gradient goes, unscaled, to optimizers["head"].
        One update each; returns the loss computed before the update (a scalar tensor or a
        float).
    modality_scores(encoders, head, inputs, labels) -> dict[str, float]
        for each modality m: the mean softmax probability of the true class when the head
        sees m's features and zeros in place of every other modality's features (the
        features set to 0, not the inputs: an encoder need not map a blank input to 0).
    modulation_coefficients(scores, alpha=1.0) -> dict[str, float]
        scores: {name: score > 0}, two or more entries. The dominant modality d (highest
        score) gets 1 - tanh(alpha * (scores[d] / mean(other scores) - 1)), the mean taken
        over every entry but d; every other modality gets 1.0 (stretch goal: on-the-fly
        gradient modulation: compute the scores on each batch and pass these coefficients
        to train_step as `modulation`).

    Call the networks with training=True inside train_step (the checks' networks contain
    Dropout, and the check replays the same masks). The checks pass their own small encoders
    and head, and plain SGD optimizers so that an update is exactly rate * gradient.

Grade with: python grade.py modality_imbalance
"""

from __future__ import annotations

import keras  # noqa: F401
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import ops  # noqa: F401

MODALITIES = ("image", "text")


def oversample_indices(groups, seed: int = 0) -> np.ndarray:
    """Indices in which every group is as frequent as the largest; every sample kept at least once."""
    raise NotImplementedError


def augment_images(images, seed: int = 0, max_shift: int = 1, noise_std: float = 0.05) -> np.ndarray:
    """Small random shifts plus pixel noise, clipped to [0, 1]; positions (and captions) stay true."""
    raise NotImplementedError


def inverse_frequency_weights(groups) -> np.ndarray:
    """Per-sample weights n / (K * count(group)): inverse to frequency, summing to n."""
    raise NotImplementedError


def learning_rate_at(step: int, base_rate: float, decay_rate: float, decay_steps: int) -> float:
    """Smooth exponential decay: base_rate * decay_rate ** (step / decay_steps)."""
    raise NotImplementedError


def make_optimizers(base_rates: dict, decay_rate: float = 0.5, decay_steps: int = 100) -> dict:
    """One SGD optimizer per key, each with its own exponentially decaying learning rate."""
    raise NotImplementedError


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    """One weighted update: each encoder with its own optimizer (and modulation), the head with its own."""
    raise NotImplementedError


def modality_scores(encoders, head, inputs, labels) -> dict:
    """Mean true-class probability when the head sees one modality's features and zeros elsewhere."""
    raise NotImplementedError


def modulation_coefficients(scores: dict, alpha: float = 1.0) -> dict:
    """Slow down only the dominant modality: 1 - tanh(alpha * (ratio - 1)) for it, 1.0 for the rest."""
    raise NotImplementedError
