"""Small matplotlib helpers for the notebooks' demos: image grids, loss curves, audio."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def image_grid(images, titles=None, columns: int = 8, low: float = 0.0, high: float = 1.0, title: str = ""):
    """Show (n, 28, 28, 1) images in a grid, with optional per-image titles."""
    images = np.asarray(images)
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.6 * columns, 2.0 * rows + 0.4), squeeze=False, layout="constrained")
    for index, ax in enumerate(axes.flat):
        ax.axis("off")
        if index < len(images):
            ax.imshow(images[index, ..., 0], cmap="gray", vmin=low, vmax=high)
            if titles is not None:
                ax.set_title(titles[index], fontsize=7)
    fig.suptitle(title)
    plt.show()


def curves(series: dict[str, list[float]], xlabel: str = "step", title: str = ""):
    """Plot named series (e.g. losses) against their index."""
    fig, ax = plt.subplots(figsize=(6, 3))
    for name, values in series.items():
        ax.plot(values, label=name)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    plt.show()


def waveform_and_spectrogram(wave, sample_rate: int, title: str = ""):
    """Waveform above its magnitude spectrogram."""
    wave = np.asarray(wave, dtype=np.float32).reshape(-1)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 4))
    top.plot(np.arange(len(wave)) / sample_rate, wave, linewidth=0.5)
    top.set_xlabel("seconds")
    with np.errstate(divide="ignore"):  # silent stretches are exactly 0 and their decibels -inf
        bottom.specgram(wave, Fs=sample_rate, NFFT=256, noverlap=128, cmap="magma")
    bottom.set_ylabel("Hz")
    fig.suptitle(title)
    fig.tight_layout()
    plt.show()
