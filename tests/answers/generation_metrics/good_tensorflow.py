"""A sound alternative: TensorFlow float64 ops throughout (tf.linalg.eigh for the root, tf.edit_distance for WER/CER)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import tensorflow as tf


def _as_tensor(x) -> tf.Tensor:
    return tf.convert_to_tensor(np.asarray(x, dtype=np.float64), dtype=tf.float64)


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of the rows of ``features``, in float64."""
    x = _as_tensor(features)
    n = tf.cast(tf.shape(x)[0], tf.float64)
    mean = tf.reduce_mean(x, axis=0)
    centred = x - mean[tf.newaxis, :]
    cov = tf.matmul(centred, centred, transpose_a=True) / (n - 1.0)
    return mean.numpy(), cov.numpy()


def _psd_sqrt(matrix: tf.Tensor) -> tf.Tensor:
    sym = 0.5 * (matrix + tf.transpose(matrix))
    values, vectors = tf.linalg.eigh(sym)
    roots = tf.sqrt(tf.maximum(values, 0.0))
    return tf.matmul(vectors * roots[tf.newaxis, :], vectors, transpose_b=True)


def trace_sqrt_product(cov_a, cov_b) -> float:
    """tr((cov_a cov_b)^(1/2)), real and stable for singular covariances."""
    a = _as_tensor(cov_a)
    b = _as_tensor(cov_b)
    root_a = _psd_sqrt(a)
    # root_a b root_a is symmetric PSD and similar to a b, so it has the same spectrum.
    middle = tf.matmul(root_a, tf.matmul(b, root_a))
    middle = 0.5 * (middle + tf.transpose(middle))
    values = tf.linalg.eigvalsh(middle)
    return float(tf.reduce_sum(tf.sqrt(tf.maximum(values, 0.0))).numpy())


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians."""
    mu_a = tf.reshape(_as_tensor(mean_a), [-1])
    mu_b = tf.reshape(_as_tensor(mean_b), [-1])
    a = _as_tensor(cov_a)
    b = _as_tensor(cov_b)
    diff = mu_a - mu_b
    value = tf.reduce_sum(diff * diff) + tf.linalg.trace(a) + tf.linalg.trace(b) - 2.0 * trace_sqrt_product(a.numpy(), b.numpy())
    value = float(value.numpy())
    return max(0.0, value)


def kernel_inception_distance(features_a, features_b) -> float:
    """Unbiased MMD² with the kernel (x·y / d + 1)³."""
    x = _as_tensor(features_a)
    y = _as_tensor(features_b)
    d = tf.cast(tf.shape(x)[1], tf.float64)
    m = tf.cast(tf.shape(x)[0], tf.float64)
    n = tf.cast(tf.shape(y)[0], tf.float64)

    def kernel(p, q):
        return tf.pow(tf.matmul(p, q, transpose_b=True) / d + 1.0, 3.0)

    k_xx = kernel(x, x)
    k_yy = kernel(y, y)
    k_xy = kernel(x, y)
    term_xx = (tf.reduce_sum(k_xx) - tf.linalg.trace(k_xx)) / (m * (m - 1.0))
    term_yy = (tf.reduce_sum(k_yy) - tf.linalg.trace(k_yy)) / (n * (n - 1.0))
    term_xy = tf.reduce_sum(k_xy) / (m * n)
    return float((term_xx + term_yy - 2.0 * term_xy).numpy())


def _ngrams(tokens, n):
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    """Corpus BLEU: clipped n-gram precisions, their geometric mean, and the corpus brevity penalty."""
    matched = [0] * max_n
    totals = [0] * max_n
    hyp_len = 0
    ref_len = 0
    for refs, hyp in zip(references, hypotheses):
        hyp = list(hyp)
        refs = [list(r) for r in refs]
        hyp_len += len(hyp)
        ref_len += min((abs(len(r) - len(hyp)), len(r)) for r in refs)[1]
        for n in range(1, max_n + 1):
            counts = _ngrams(hyp, n)
            best = Counter()
            for r in refs:
                best |= _ngrams(r, n)
            matched[n - 1] += sum(min(c, best[g]) for g, c in counts.items())
            totals[n - 1] += sum(counts.values())
    if hyp_len == 0:
        return 0.0
    num = tf.constant(matched, dtype=tf.float64)
    den = tf.constant(totals, dtype=tf.float64)
    if smooth:
        offset = tf.concat([tf.zeros([1], tf.float64), tf.ones([max_n - 1], tf.float64)], 0)
        num = num + offset
        den = den + offset
    if bool(tf.reduce_any(num <= 0.0).numpy()):
        return 0.0
    log_p = tf.math.log(num / den)
    c = tf.constant(float(hyp_len), tf.float64)
    r = tf.constant(float(ref_len), tf.float64)
    bp = tf.where(c > r, tf.constant(1.0, tf.float64), tf.exp(1.0 - r / c))
    return float((bp * tf.exp(tf.reduce_mean(log_p))).numpy())


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    """A minimum-cost alignment of ``reference`` to ``hypothesis`` as (operation, ref token, hyp token)."""
    ref = list(reference)
    hyp = list(hypothesis)
    rows, cols = len(ref), len(hyp)
    table = np.zeros((rows + 1, cols + 1), dtype=np.int64)
    table[:, 0] = np.arange(rows + 1)
    table[0, :] = np.arange(cols + 1)
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            cost = 0 if ref[i - 1] == hyp[j - 1] else 1
            table[i, j] = min(table[i - 1, j - 1] + cost, table[i - 1, j] + 1, table[i, j - 1] + 1)
    ops = []
    i, j = rows, cols
    while i > 0 or j > 0:
        if i > 0 and j > 0:
            cost = 0 if ref[i - 1] == hyp[j - 1] else 1
            if table[i, j] == table[i - 1, j - 1] + cost:
                ops.append(("match" if cost == 0 else "substitute", ref[i - 1], hyp[j - 1]))
                i, j = i - 1, j - 1
                continue
        if i > 0 and table[i, j] == table[i - 1, j] + 1:
            ops.append(("delete", ref[i - 1], None))
            i -= 1
        else:
            ops.append(("insert", None, hyp[j - 1]))
            j -= 1
    ops.reverse()
    return ops


def _sparse(sequences) -> tf.SparseTensor:
    indices = [[row, col] for row, seq in enumerate(sequences) for col in range(len(seq))]
    values = [tok for seq in sequences for tok in seq]
    width = max([len(seq) for seq in sequences] + [1])
    if not indices:
        return tf.SparseTensor(tf.zeros([0, 2], tf.int64), tf.constant([], tf.string), [len(sequences), width])
    return tf.SparseTensor(tf.constant(indices, tf.int64), tf.constant(values, tf.string), [len(sequences), width])


def _corpus_error_rate(ref_seqs, hyp_seqs) -> float:
    distances = tf.edit_distance(_sparse(hyp_seqs), _sparse(ref_seqs), normalize=False)
    total_ref = sum(len(seq) for seq in ref_seqs)
    return float(tf.reduce_sum(tf.cast(distances, tf.float64)).numpy()) / total_ref


def word_error_rate(references, hypotheses) -> float:
    """Corpus word error rate over whitespace-split sentences."""
    return _corpus_error_rate([r.split() for r in references], [h.split() for h in hypotheses])


def character_error_rate(references, hypotheses) -> float:
    """Corpus character error rate, spaces included."""
    return _corpus_error_rate([list(r) for r in references], [list(h) for h in hypotheses])


def clip_score(image_embeddings, text_embeddings, weight: float = 2.5) -> float:
    """Mean of weight · max(cos, 0) over paired rows."""
    img = tf.math.l2_normalize(_as_tensor(image_embeddings), axis=-1, epsilon=1e-300)
    txt = tf.math.l2_normalize(_as_tensor(text_embeddings), axis=-1, epsilon=1e-300)
    cos = tf.reduce_sum(img * txt, axis=-1)
    return float((weight * tf.reduce_mean(tf.maximum(cos, 0.0))).numpy())


def zero_shot_accuracy(similarity, labels) -> float:
    """Fraction of images whose best-scoring class caption is their own class."""
    sim = _as_tensor(similarity)
    lab = tf.cast(tf.reshape(tf.convert_to_tensor(np.asarray(labels)), [-1]), tf.int64)
    hits = tf.equal(tf.argmax(sim, axis=1, output_type=tf.int64), lab)
    return float(tf.reduce_mean(tf.cast(hits, tf.float64)).numpy())
