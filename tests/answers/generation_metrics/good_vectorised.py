"""A sound alternative: vectorised NumPy, the root trace as the nuclear norm (SVD) of sqrt(cov_a) sqrt(cov_b), Counter n-grams, and a row-vectorised edit table."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of the rows of ``features``, in float64."""
    x = np.asarray(features, dtype=np.float64)
    mean = x.mean(axis=0)
    cov = np.cov(x, rowvar=False, ddof=1)
    return mean, np.atleast_2d(cov).astype(np.float64)


def _psd_root(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(0.5 * (matrix + matrix.T))
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def trace_sqrt_product(cov_a, cov_b) -> float:
    """tr((cov_a cov_b)^(1/2)), real and stable for singular covariances."""
    a = np.asarray(cov_a, dtype=np.float64)
    b = np.asarray(cov_b, dtype=np.float64)
    # With M = sqrt(a) sqrt(b): M M^T = sqrt(a) b sqrt(a) has the spectrum of a b, so the
    # trace of its root is the sum of the singular values of M.
    product = _psd_root(a) @ _psd_root(b)
    return float(np.linalg.svd(product, compute_uv=False).sum())


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians."""
    diff = np.asarray(mean_a, dtype=np.float64).ravel() - np.asarray(mean_b, dtype=np.float64).ravel()
    a = np.asarray(cov_a, dtype=np.float64)
    b = np.asarray(cov_b, dtype=np.float64)
    value = float(diff @ diff + np.trace(a) + np.trace(b) - 2.0 * trace_sqrt_product(a, b))
    return max(0.0, value)


def kernel_inception_distance(features_a, features_b) -> float:
    """Unbiased MMD² with the kernel (x·y / d + 1)³."""
    x = np.asarray(features_a, dtype=np.float64)
    y = np.asarray(features_b, dtype=np.float64)
    d = x.shape[1]
    m, n = x.shape[0], y.shape[0]
    k_xx = (x @ x.T / d + 1.0) ** 3
    k_yy = (y @ y.T / d + 1.0) ** 3
    k_xy = (x @ y.T / d + 1.0) ** 3
    off_xx = k_xx[~np.eye(m, dtype=bool)].mean()
    off_yy = k_yy[~np.eye(n, dtype=bool)].mean()
    return float(off_xx + off_yy - 2.0 * k_xy.mean())


def _ngrams(tokens, n) -> Counter:
    return Counter(zip(*(tokens[k:] for k in range(n))))


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    """Corpus BLEU: clipped n-gram precisions, their geometric mean, and the corpus brevity penalty."""
    matched = np.zeros(max_n, dtype=np.float64)
    totals = np.zeros(max_n, dtype=np.float64)
    hyp_lengths = []
    ref_lengths = []
    for refs, hyp in zip(references, hypotheses):
        hyp = list(hyp)
        lengths = np.array(sorted(len(r) for r in refs))
        hyp_lengths.append(len(hyp))
        # sorted ascending, argmin returns the first (shorter) of tied lengths
        ref_lengths.append(lengths[np.argmin(np.abs(lengths - len(hyp)))])
        for n in range(1, max_n + 1):
            counts = _ngrams(hyp, n)
            ceiling = Counter()
            for r in refs:
                ceiling |= _ngrams(list(r), n)
            matched[n - 1] += sum((counts & ceiling).values())
            totals[n - 1] += sum(counts.values())
    c = float(np.sum(hyp_lengths))
    r = float(np.sum(ref_lengths))
    if c == 0:
        return 0.0
    if smooth:
        matched[1:] += 1.0
        totals[1:] += 1.0
    if np.any(matched == 0):
        return 0.0
    log_precision = np.log(matched / totals).mean()
    bp = 1.0 if c > r else math.exp(1.0 - r / c)
    return float(bp * math.exp(log_precision))


def _edit_table(ref, hyp) -> np.ndarray:
    """Levenshtein table, one row at a time: insertions via a running minimum."""
    cols = np.arange(len(hyp) + 1)
    table = np.zeros((len(ref) + 1, len(hyp) + 1), dtype=np.int64)
    table[0] = cols
    hyp_arr = np.empty(len(hyp), dtype=object)
    hyp_arr[:] = hyp
    for i in range(1, len(ref) + 1):
        prev = table[i - 1]
        mismatch = np.fromiter((tok != ref[i - 1] for tok in hyp_arr), dtype=np.int64, count=len(hyp))
        candidate = np.empty(len(hyp) + 1, dtype=np.int64)
        candidate[0] = i
        candidate[1:] = np.minimum(prev[:-1] + mismatch, prev[1:] + 1)
        # row[j] = min over k <= j of candidate[k] + (j - k)
        table[i] = np.minimum.accumulate(candidate - cols) + cols
    return table


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    """A minimum-cost alignment of ``reference`` to ``hypothesis`` as (operation, ref token, hyp token)."""
    ref = list(reference)
    hyp = list(hypothesis)
    table = _edit_table(ref, hyp)
    ops = []
    i, j = len(ref), len(hyp)
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            same = ref[i - 1] == hyp[j - 1]
            if same and table[i, j] == table[i - 1, j - 1]:
                ops.append(("match", ref[i - 1], hyp[j - 1]))
                i, j = i - 1, j - 1
                continue
        if j > 0 and table[i, j] == table[i, j - 1] + 1:
            ops.append(("insert", None, hyp[j - 1]))
            j -= 1
        elif i > 0 and table[i, j] == table[i - 1, j] + 1:
            ops.append(("delete", ref[i - 1], None))
            i -= 1
        else:
            ops.append(("substitute", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
    ops.reverse()
    return ops


def _corpus_rate(ref_seqs, hyp_seqs) -> float:
    errors = np.array([_edit_table(r, h)[-1, -1] for r, h in zip(ref_seqs, hyp_seqs)], dtype=np.float64)
    lengths = np.array([len(r) for r in ref_seqs], dtype=np.float64)
    return float(errors.sum() / lengths.sum())


def word_error_rate(references, hypotheses) -> float:
    """Corpus word error rate over whitespace-split sentences."""
    return _corpus_rate([r.split() for r in references], [h.split() for h in hypotheses])


def character_error_rate(references, hypotheses) -> float:
    """Corpus character error rate, spaces included."""
    return _corpus_rate([list(r) for r in references], [list(h) for h in hypotheses])


def clip_score(image_embeddings, text_embeddings, weight: float = 2.5) -> float:
    """Mean of weight · max(cos, 0) over paired rows."""
    img = np.asarray(image_embeddings, dtype=np.float64)
    txt = np.asarray(text_embeddings, dtype=np.float64)
    img = img / np.linalg.norm(img, axis=-1, keepdims=True)
    txt = txt / np.linalg.norm(txt, axis=-1, keepdims=True)
    cos = np.einsum("nd,nd->n", img, txt)
    return float(weight * np.maximum(cos, 0.0).mean())


def zero_shot_accuracy(similarity, labels) -> float:
    """Fraction of images whose best-scoring class caption is their own class."""
    sim = np.asarray(similarity, dtype=np.float64)
    lab = np.asarray(labels).ravel().astype(np.int64)
    return float(np.mean(sim.argmax(axis=1) == lab))
