"""A sound alternative: explicit Python loops, root of cov_b first, KID by pairwise sums, and a backtrace that prefers deletions/insertions over substitutions on ties."""

from __future__ import annotations

import math

import numpy as np


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of the rows of ``features``, in float64."""
    x = np.asarray(features, dtype=np.float64)
    n, d = x.shape
    mean = np.zeros(d, dtype=np.float64)
    for row in x:
        mean += row
    mean /= n
    cov = np.zeros((d, d), dtype=np.float64)
    for row in x:
        centred = row - mean
        cov += np.outer(centred, centred)
    cov /= n - 1
    return mean, cov


def _psd_root(matrix: np.ndarray) -> np.ndarray:
    """Symmetric square root, assembled one eigenpair at a time (negative round-off dropped)."""
    values, vectors = np.linalg.eigh(0.5 * (matrix + matrix.T))
    root = np.zeros_like(matrix)
    for k in range(len(values)):
        if values[k] > 0.0:
            v = vectors[:, k]
            root += math.sqrt(values[k]) * np.outer(v, v)
    return root


def trace_sqrt_product(cov_a, cov_b) -> float:
    """tr((cov_a cov_b)^(1/2)), real and stable for singular covariances."""
    a = np.asarray(cov_a, dtype=np.float64)
    b = np.asarray(cov_b, dtype=np.float64)
    root_b = _psd_root(b)
    # root_b a root_b is symmetric PSD and has the spectrum of a b (= that of b a).
    middle = root_b @ a @ root_b
    middle = 0.5 * (middle + middle.T)
    total = 0.0
    for value in np.linalg.eigvalsh(middle):
        if value > 0.0:
            total += math.sqrt(value)
    return float(total)


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians."""
    mu_a = np.asarray(mean_a, dtype=np.float64).ravel()
    mu_b = np.asarray(mean_b, dtype=np.float64).ravel()
    a = np.asarray(cov_a, dtype=np.float64)
    b = np.asarray(cov_b, dtype=np.float64)
    squared = 0.0
    for p, q in zip(mu_a, mu_b):
        squared += (p - q) ** 2
    trace_a = 0.0
    trace_b = 0.0
    for k in range(a.shape[0]):
        trace_a += a[k, k]
        trace_b += b[k, k]
    value = float(squared + trace_a + trace_b - 2.0 * trace_sqrt_product(a, b))
    return max(value, 0.0)


def kernel_inception_distance(features_a, features_b) -> float:
    """Unbiased MMD² with the kernel (x·y / d + 1)³."""
    x = np.asarray(features_a, dtype=np.float64)
    y = np.asarray(features_b, dtype=np.float64)
    d = x.shape[1]
    m = x.shape[0]
    n = y.shape[0]

    def k(p, q):
        return (float(np.dot(p, q)) / d + 1.0) ** 3

    sum_xx = 0.0
    for i in range(m):
        for j in range(i + 1, m):
            sum_xx += 2.0 * k(x[i], x[j])
    sum_yy = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            sum_yy += 2.0 * k(y[i], y[j])
    sum_xy = 0.0
    for i in range(m):
        for j in range(n):
            sum_xy += k(x[i], y[j])
    return sum_xx / (m * (m - 1)) + sum_yy / (n * (n - 1)) - 2.0 * sum_xy / (m * n)


def _count_ngrams(tokens, n):
    counts = {}
    for start in range(len(tokens) - n + 1):
        gram = tuple(tokens[start : start + n])
        counts[gram] = counts.get(gram, 0) + 1
    return counts


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    """Corpus BLEU: clipped n-gram precisions, their geometric mean, and the corpus brevity penalty."""
    clipped = [0] * (max_n + 1)
    total = [0] * (max_n + 1)
    c = 0
    r = 0
    for refs, hyp in zip(references, hypotheses):
        hyp = list(hyp)
        refs = [list(ref) for ref in refs]
        c += len(hyp)
        best_len = None
        for ref in refs:
            if best_len is None:
                best_len = len(ref)
                continue
            gap, best_gap = abs(len(ref) - len(hyp)), abs(best_len - len(hyp))
            if gap < best_gap or (gap == best_gap and len(ref) < best_len):
                best_len = len(ref)
        r += best_len
        for n in range(1, max_n + 1):
            hyp_counts = _count_ngrams(hyp, n)
            max_ref = {}
            for ref in refs:
                for gram, count in _count_ngrams(ref, n).items():
                    if count > max_ref.get(gram, 0):
                        max_ref[gram] = count
            for gram, count in hyp_counts.items():
                clipped[n] += min(count, max_ref.get(gram, 0))
                total[n] += count
    if c == 0:
        return 0.0
    log_sum = 0.0
    for n in range(1, max_n + 1):
        num, den = clipped[n], total[n]
        if smooth and n >= 2:
            num, den = num + 1, den + 1
        if num == 0:
            return 0.0
        log_sum += math.log(num / den)
    bp = 1.0 if c > r else math.exp(1.0 - r / c)
    return bp * math.exp(log_sum / max_n)


def _distance_table(ref, hyp):
    table = [[0] * (len(hyp) + 1) for _ in range(len(ref) + 1)]
    for i in range(len(ref) + 1):
        table[i][0] = i
    for j in range(len(hyp) + 1):
        table[0][j] = j
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            diagonal = table[i - 1][j - 1] + (0 if ref[i - 1] == hyp[j - 1] else 1)
            table[i][j] = min(diagonal, table[i - 1][j] + 1, table[i][j - 1] + 1)
    return table


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    """A minimum-cost alignment of ``reference`` to ``hypothesis`` as (operation, ref token, hyp token)."""
    ref = list(reference)
    hyp = list(hypothesis)
    table = _distance_table(ref, hyp)
    ops = []
    i, j = len(ref), len(hyp)
    while i > 0 or j > 0:
        here = table[i][j]
        if i > 0 and here == table[i - 1][j] + 1:
            ops.append(("delete", ref[i - 1], None))
            i -= 1
        elif j > 0 and here == table[i][j - 1] + 1:
            ops.append(("insert", None, hyp[j - 1]))
            j -= 1
        else:
            same = ref[i - 1] == hyp[j - 1]
            ops.append(("match" if same else "substitute", ref[i - 1], hyp[j - 1]))
            i -= 1
            j -= 1
    ops.reverse()
    return ops


def _corpus_rate(pairs) -> float:
    errors = 0
    words = 0
    for ref, hyp in pairs:
        for op, _, _ in edit_operations(ref, hyp):
            if op != "match":
                errors += 1
        words += len(ref)
    return errors / words


def word_error_rate(references, hypotheses) -> float:
    """Corpus word error rate over whitespace-split sentences."""
    return _corpus_rate((r.split(), h.split()) for r, h in zip(references, hypotheses))


def character_error_rate(references, hypotheses) -> float:
    """Corpus character error rate, spaces included."""
    return _corpus_rate((list(r), list(h)) for r, h in zip(references, hypotheses))


def clip_score(image_embeddings, text_embeddings, weight: float = 2.5) -> float:
    """Mean of weight · max(cos, 0) over paired rows."""
    images = np.asarray(image_embeddings, dtype=np.float64)
    texts = np.asarray(text_embeddings, dtype=np.float64)
    total = 0.0
    for image, text in zip(images, texts):
        dot = 0.0
        norm_i = 0.0
        norm_t = 0.0
        for p, q in zip(image, text):
            dot += p * q
            norm_i += p * p
            norm_t += q * q
        cos = dot / (math.sqrt(norm_i) * math.sqrt(norm_t))
        total += weight * max(cos, 0.0)
    return float(total / len(images))


def zero_shot_accuracy(similarity, labels) -> float:
    """Fraction of images whose best-scoring class caption is their own class."""
    scores = np.asarray(similarity, dtype=np.float64)
    truth = np.asarray(labels).ravel()
    hits = 0
    for row, label in zip(scores, truth):
        best = 0
        for k in range(1, len(row)):
            if row[k] > row[best]:
                best = k
        if best == int(label):
            hits += 1
    return hits / len(scores)
