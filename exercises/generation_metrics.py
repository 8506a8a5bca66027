"""Generation metrics: how do you know a generator got better? (seed §6, generation quality).

Interview question
    A text-to-image, image-to-text or text-to-speech model has been retrained, and the
    samples "look better". Which numbers would you report, and how is each computed?
    Implement the usual ones: the Fréchet distance between feature Gaussians (the core
    of FID) and KID for images, corpus BLEU-4 for captions, word and character error
    rates for speech, and CLIP score and zero-shot accuracy for image-text agreement.

What to build (plain Python and NumPy; every result is a Python float unless stated)
    feature_statistics(features) -> (mean, covariance)
        features (n, d), n >= 2. The mean (d,) and the unbiased covariance (d, d), which
        divides by n - 1, both float64.
    trace_sqrt_product(cov_a, cov_b) -> float
        tr((cov_a cov_b)^(1/2)) for symmetric positive semi-definite (d, d) matrices,
        computed in float64 without SciPy, real and finite for singular matrices too
        (rank-deficient covariances from fewer samples than dimensions included).
    frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float
        ||mean_a - mean_b||^2 + tr(cov_a) + tr(cov_b) - 2 tr((cov_a cov_b)^(1/2)), the
        squared 2-Wasserstein distance between two Gaussians; never negative (a result
        below 0 from round-off comes back as 0.0).
    kernel_inception_distance(features_a, features_b) -> float
        The unbiased estimate of the squared MMD with the cubic polynomial kernel
        k(x, y) = (x . y / d + 1)^3 over all samples (no subsets): the mean of k over
        pairs of distinct rows of a, plus the same for b, minus twice the mean of k over
        all (row of a, row of b) pairs. Each set has at least 2 rows; the two sizes may
        differ. May be slightly negative; it is not clipped.
    corpus_bleu(references, hypotheses, max_n=4, smooth=False) -> float in [0, 1]
        hypotheses: a list of token lists; references: one list of reference token
        lists per hypothesis (each hypothesis has one or more references).
        p_n = (sum over hypotheses of their n-gram counts, each clipped to the largest
        count of that n-gram in any one of the hypothesis's references) / (total number
        of n-grams in the hypotheses), for n = 1..max_n. A hypothesis shorter than n words
        adds nothing to p_n (NLTK's corpus_bleu counts it as one unmatched n-gram instead,
        so the two differ on corpora with such short hypotheses).
        BLEU = BP * exp(mean over n of log p_n), with the brevity penalty
        BP = 1 if c > r else exp(1 - r / c), where c is the total hypothesis length and
        r the sum over hypotheses of the reference length closest to the hypothesis's
        length (the shorter one on a tie).
        Without smoothing, any p_n = 0 makes BLEU 0. With smooth=True, p_n for n >= 2 is
        (clipped count + 1) / (total + 1) (Lin and Och 2004; NLTK's method2), and p_1 is
        left as it is. BLEU is 0 when the hypotheses hold no words at all.
    edit_operations(reference, hypothesis) -> list of (operation, reference_token, hypothesis_token)
        One minimum-cost alignment of two token sequences (Levenshtein, each operation
        costs 1, a match costs 0), in order, as tuples whose operation is one of
        "match", "substitute", "delete" (a reference token the hypothesis lacks; its
        hypothesis_token is None) or "insert" (an extra hypothesis token; its
        reference_token is None). Reading the reference tokens of the tuples in order
        gives the reference, and the hypothesis tokens the hypothesis. Which of several
        minimum-cost alignments is returned is left free.
    word_error_rate(references, hypotheses) -> float
        Corpus WER: (substitutions + deletions + insertions) summed over the pairs of
        sentences, divided by the total number of reference words. Sentences are strings
        split on whitespace. At least one reference word exists. May exceed 1.
    character_error_rate(references, hypotheses) -> float
        The same over characters: each string is a sequence of characters, spaces
        included, as given.
    clip_score(image_embeddings, text_embeddings, weight=2.5) -> float
        Paired rows (n, d): the mean over i of weight * max(cos(image_i, text_i), 0)
        (Hessel et al. 2021). Embeddings arrive unnormalised.
    zero_shot_accuracy(similarity, labels) -> float in [0, 1]
        similarity (n_images, n_classes), one score per image and class caption; labels
        (n_images,) the true class ids. The fraction of images whose highest-scoring
        class is their label. (How ties are broken is left free: the checks have none.)

    Inputs may be NumPy arrays, lists or tensors; convert them with np.asarray and work
    in float64. The checks compare with the model answer on random inputs and on the
    closed forms and worked examples of the papers.

Grade with: python grade.py generation_metrics
"""

from __future__ import annotations

import math  # noqa: F401
from collections import Counter  # noqa: F401

import numpy as np  # noqa: F401


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    """Mean and unbiased covariance of the rows of ``features``, in float64."""
    raise NotImplementedError


def trace_sqrt_product(cov_a, cov_b) -> float:
    """tr((cov_a cov_b)^(1/2)), real and stable for singular covariances."""
    raise NotImplementedError


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    """Squared Fréchet (2-Wasserstein) distance between two Gaussians."""
    raise NotImplementedError


def kernel_inception_distance(features_a, features_b) -> float:
    """Unbiased MMD² with the kernel (x·y / d + 1)³."""
    raise NotImplementedError


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    """Corpus BLEU: clipped n-gram precisions, their geometric mean, and the corpus brevity penalty."""
    raise NotImplementedError


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    """A minimum-cost alignment of ``reference`` to ``hypothesis`` as (operation, ref token, hyp token)."""
    raise NotImplementedError


def word_error_rate(references, hypotheses) -> float:
    """Corpus word error rate over whitespace-split sentences."""
    raise NotImplementedError


def character_error_rate(references, hypotheses) -> float:
    """Corpus character error rate, spaces included."""
    raise NotImplementedError


def clip_score(image_embeddings, text_embeddings, weight: float = 2.5) -> float:
    """Mean of weight · max(cos, 0) over paired rows."""
    raise NotImplementedError


def zero_shot_accuracy(similarity, labels) -> float:
    """Fraction of images whose best-scoring class caption is their own class."""
    raise NotImplementedError
