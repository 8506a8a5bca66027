"""Handling modality imbalance: a sound answer written from the contract.

Style: pure-Python grouping with dicts (works for any hashable label, tuples included),
pad-and-crop shifting, a hand-written LearningRateSchedule, keras.ops cross-entropy and a
persistent GradientTape that takes one gradient per part (modulation folded into the loss
of each encoder instead of scaling gradients afterwards).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import ops

MODALITIES = ("image", "text")


def _group_members(groups) -> dict:
    members: dict = {}
    for index, label in enumerate(list(groups)):
        members.setdefault(label, []).append(index)
    return members


def oversample_indices(groups, seed: int = 0) -> np.ndarray:
    """Indices in which every group is as frequent as the largest; every sample kept at least once."""
    rng = np.random.default_rng(seed)
    members = _group_members(groups)
    largest = max(len(v) for v in members.values())
    chunks = []
    for idx in members.values():
        idx = np.asarray(idx, dtype=np.int64)
        need = largest - len(idx)
        extra = idx[rng.integers(0, len(idx), size=need)] if need > 0 else idx[:0]
        chunks.append(idx)
        chunks.append(extra)
    out = np.concatenate(chunks).astype(np.int64)
    rng.shuffle(out)
    return out


def augment_images(images, seed: int = 0, max_shift: int = 1, noise_std: float = 0.05) -> np.ndarray:
    """Small random shifts plus pixel noise, clipped to [0, 1]; positions (and captions) stay true."""
    images = np.asarray(images, dtype=np.float32)
    n, h, w = images.shape[:3]
    rng = np.random.default_rng(seed)
    s = int(max_shift)
    padded = np.pad(images, ((0, 0), (s, s), (s, s), (0, 0)))
    offsets = rng.integers(-s, s + 1, size=(n, 2))
    shifted = np.empty_like(images)
    for i in range(n):
        dy, dx = int(offsets[i, 0]), int(offsets[i, 1])
        # output pixel (y, x) takes input pixel (y - dy, x - dx), i.e. padded (y - dy + s, x - dx + s)
        shifted[i] = padded[i, s - dy:s - dy + h, s - dx:s - dx + w]
    noise = rng.standard_normal(size=images.shape).astype(np.float32) * np.float32(noise_std)
    return np.clip(shifted + noise, 0.0, 1.0).astype(np.float32)


def inverse_frequency_weights(groups) -> np.ndarray:
    """Per-sample weights n / (K * count(group)): inverse to frequency, summing to n."""
    groups = list(groups)
    members = _group_members(groups)
    n, k = len(groups), len(members)
    count = {label: len(idx) for label, idx in members.items()}
    return np.array([n / (k * count[g]) for g in groups], dtype=np.float32)


def learning_rate_at(step: int, base_rate: float, decay_rate: float, decay_steps: int) -> float:
    """Smooth exponential decay: base_rate * decay_rate ** (step / decay_steps)."""
    return float(base_rate * np.power(float(decay_rate), float(step) / float(decay_steps)))


class SmoothDecay(keras.optimizers.schedules.LearningRateSchedule):
    """rate(t) = base * decay ** (t / steps), t = number of updates already applied."""

    def __init__(self, base_rate, decay_rate, decay_steps):
        self.base_rate = float(base_rate)
        self.decay_rate = float(decay_rate)
        self.decay_steps = float(decay_steps)

    def __call__(self, step):
        t = ops.cast(step, "float32")
        return self.base_rate * ops.exp(t / self.decay_steps * float(np.log(self.decay_rate)))

    def get_config(self):
        return {"base_rate": self.base_rate, "decay_rate": self.decay_rate, "decay_steps": self.decay_steps}


def make_optimizers(base_rates: dict, decay_rate: float = 0.5, decay_steps: int = 100) -> dict:
    """One SGD optimizer per key, each with its own exponentially decaying learning rate."""
    optimizers = {}
    for key in base_rates:
        optimizers[key] = keras.optimizers.SGD(learning_rate=SmoothDecay(base_rates[key], decay_rate, decay_steps))
    return optimizers


def train_step(encoders, head, optimizers, inputs, labels, weights=None, modulation=None):
    """One weighted update: each encoder with its own optimizer (and modulation), the head with its own."""
    labels = ops.cast(ops.convert_to_tensor(labels), "int32")
    with tf.GradientTape(persistent=True) as tape:
        feats = [encoders[m](inputs[m], training=True) for m in MODALITIES]
        logits = head(ops.concatenate(feats, axis=-1), training=True)
        ce = keras.ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
        if weights is None:
            w = ops.ones_like(ce)
        else:
            w = ops.cast(ops.convert_to_tensor(weights), ce.dtype)
        loss = ops.sum(w * ce) / ops.sum(w)
        scaled = {m: loss * (1.0 if modulation is None else float(modulation[m])) for m in MODALITIES}
    head_vars = head.trainable_variables
    updates = {"head": (tape.gradient(loss, head_vars), head_vars)}
    for m in MODALITIES:
        variables = encoders[m].trainable_variables
        updates[m] = (tape.gradient(scaled[m], variables), variables)
    del tape
    for key, (grads, variables) in updates.items():
        optimizers[key].apply_gradients(zip(grads, variables))
    return loss


def modality_scores(encoders, head, inputs, labels) -> dict:
    """Mean true-class probability when the head sees one modality's features and zeros elsewhere."""
    feats = {m: encoders[m](inputs[m], training=False) for m in MODALITIES}
    labels = ops.cast(ops.reshape(ops.convert_to_tensor(labels), (-1, 1)), "int32")
    result = {}
    for m in MODALITIES:
        parts = [feats[o] if o == m else ops.zeros_like(feats[o]) for o in MODALITIES]
        probs = ops.softmax(head(ops.concatenate(parts, axis=-1), training=False), axis=-1)
        true_prob = ops.take_along_axis(probs, labels, axis=-1)
        result[m] = float(ops.convert_to_numpy(ops.mean(true_prob)))
    return result


def modulation_coefficients(scores: dict, alpha: float = 1.0) -> dict:
    """Slow down only the dominant modality: 1 - tanh(alpha * (ratio - 1)) for it, 1.0 for the rest."""
    names = list(scores)
    dominant = names[int(np.argmax([scores[n] for n in names]))]
    rest = [float(scores[n]) for n in names if n != dominant]
    ratio = float(scores[dominant]) / max(sum(rest) / len(rest), 1e-12)
    coefficients = {n: 1.0 for n in names}
    coefficients[dominant] = 1.0 - math_tanh(alpha * (ratio - 1.0))
    return coefficients


def math_tanh(x: float) -> float:
    import math

    return math.tanh(x)
