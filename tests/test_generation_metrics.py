"""Checks for generation_metrics: closed forms, the papers' worked examples, hand-made alignments,
invariances, and agreement with the reference on seeded random inputs."""

import math

import numpy as np
import pytest

from mmgen.checks import expect_close, expect_scalar, fmt
from mmgen.differential import Case, expect_matches_reference

WORDS = ("a", "cat", "the", "mat", "on", "sat", "dog", "is")


def random_psd(rng: np.random.Generator, dim: int, rank: int) -> np.ndarray:
    """A symmetric PSD matrix of the given rank (singular when rank < dim)."""
    factor = rng.normal(size=(dim, rank))
    return factor @ factor.T / rank


def sentence(rng: np.random.Generator, low: int, high: int) -> list[str]:
    """Random words from a small vocabulary, so that n-grams repeat and match."""
    return [str(word) for word in rng.choice(WORDS[:5], size=int(rng.integers(low, high + 1)))]


# Fréchet distance and its parts

@pytest.mark.hint(1)
def test_feature_statistics_are_the_mean_and_unbiased_covariance(answer, reference):
    rng = np.random.default_rng(0)
    cases = [
        Case(f"features={fmt(x)}", (x,))
        for x in (rng.normal(size=(2, 1)), rng.normal(size=(5, 3)), rng.normal(2.0, 3.0, size=(40, 6)), rng.normal(size=(3, 8)))
    ]
    expect_matches_reference(
        "feature_statistics", answer.feature_statistics, reference.feature_statistics, cases,
        "the mean over rows and the covariance of the columns divided by n - 1", atol=1e-9, rtol=1e-9,
    )


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_trace_sqrt_product_of_diagonal_matrices_is_the_sum_of_root_products(answer):
    a, b = np.array([4.0, 1.0, 9.0, 0.0]), np.array([1.0, 16.0, 4.0, 5.0])
    got = answer.trace_sqrt_product(np.diag(a), np.diag(b))
    call = f"trace_sqrt_product(diag({a.tolist()}), diag({b.tolist()}))"
    expect_close(expect_scalar(got, call), np.sum(np.sqrt(a * b)), call, "diagonal matrices commute: the trace is Σ sqrt(a_i b_i)")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_trace_sqrt_product_is_real_and_right_for_singular_covariances(answer, reference):
    """Covariances of fewer samples than dimensions: where a general sqrtm returns complex noise."""
    rng = np.random.default_rng(1)
    for dim, rank_a, rank_b in ((6, 2, 3), (12, 4, 4), (20, 5, 19)):
        cov_a, cov_b = random_psd(rng, dim, rank_a), random_psd(rng, dim, rank_b)
        call = f"trace_sqrt_product(cov_a of rank {rank_a}, cov_b of rank {rank_b}, both {dim}x{dim})"
        expect_close(
            expect_scalar(answer.trace_sqrt_product(cov_a, cov_b), call), reference.trace_sqrt_product(cov_a, cov_b),
            call, "the eigenvalues of the product are ≥ 0 in exact arithmetic: clip the round-off below 0, keep the real trace",
            atol=1e-6, rtol=1e-6,
        )


@pytest.mark.hint(2)
def test_trace_sqrt_product_matches_the_contract_on_random_covariances(answer, reference):
    rng = np.random.default_rng(2)
    cases = [
        Case(f"cov_a={fmt(a)}, cov_b={fmt(b)}", (a, b))
        for dim in (1, 2, 5, 16)
        for a, b in ((random_psd(rng, dim, dim + 2), random_psd(rng, dim, dim + 1)), (random_psd(rng, dim, dim), 3.0 * np.eye(dim)))
    ]
    expect_matches_reference(
        "trace_sqrt_product", answer.trace_sqrt_product, reference.trace_sqrt_product, cases,
        "tr((cov_a cov_b)^(1/2)): sqrt of each eigenvalue of the product, summed", atol=1e-7, rtol=1e-7,
    )


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_frechet_distance_of_identical_gaussians_is_zero(answer):
    rng = np.random.default_rng(3)
    for rank in (8, 3):
        mean, cov = rng.normal(size=8), random_psd(rng, 8, rank)
        call = f"frechet_distance(mean, cov, mean, cov) with an 8x8 covariance of rank {rank}"
        got = expect_scalar(answer.frechet_distance(mean, cov, mean, cov), call)
        if got < 0:
            raise AssertionError(f"{call} returned {got:.6g}; a distance is never negative (round-off below 0 comes back as 0.0)")
        expect_close(got, 0.0, call, "tr Σ + tr Σ - 2 tr((Σ Σ)^(1/2)) = 0 and the means agree", atol=1e-6)


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_frechet_distance_with_equal_covariances_is_the_squared_mean_distance(answer):
    rng = np.random.default_rng(4)
    mean_a, mean_b, cov = rng.normal(size=5), rng.normal(size=5), random_psd(rng, 5, 7)
    call = "frechet_distance(mean_a, cov, mean_b, cov) for 5 features"
    expect_close(
        expect_scalar(answer.frechet_distance(mean_a, cov, mean_b, cov), call), np.sum((mean_a - mean_b) ** 2), call,
        "the covariance terms cancel, leaving ||mean_a - mean_b||² (squared, not its root)", atol=1e-8,
    )


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_frechet_distance_of_diagonal_gaussians_is_the_sum_of_squared_root_differences(answer):
    a, b = np.array([1.0, 4.0, 0.25, 9.0]), np.array([4.0, 1.0, 1.0, 9.0])
    mean = np.zeros(4)
    call = f"frechet_distance(0, diag({a.tolist()}), 0, diag({b.tolist()}))"
    expect_close(
        expect_scalar(answer.frechet_distance(mean, np.diag(a), mean, np.diag(b)), call), np.sum((np.sqrt(a) - np.sqrt(b)) ** 2),
        call, "Σ (sqrt a_i - sqrt b_i)²: tr a + tr b - 2 Σ sqrt(a_i b_i)",
    )


@pytest.mark.hint(1)
def test_frechet_distance_is_symmetric(answer):
    rng = np.random.default_rng(5)
    mean_a, mean_b = rng.normal(size=6), rng.normal(1.0, 1.0, size=6)
    cov_a, cov_b = random_psd(rng, 6, 3), random_psd(rng, 6, 9)
    forward = expect_scalar(answer.frechet_distance(mean_a, cov_a, mean_b, cov_b), "frechet_distance(a, b)")
    backward = answer.frechet_distance(mean_b, cov_b, mean_a, cov_a)
    expect_close(backward, forward, "frechet_distance(b, a)", "the distance between two Gaussians does not depend on their order", atol=1e-7)


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_frechet_distance_matches_the_contract_on_random_features(answer, reference):
    rng = np.random.default_rng(6)
    cases = []
    for n, dim in ((3, 2), (10, 4), (6, 12), (200, 16)):
        a, b = rng.normal(size=(n, dim)), rng.normal(0.3, 1.5, size=(n + 1, dim))
        stats = (*reference.feature_statistics(a), *reference.feature_statistics(b))
        cases.append(Case(f"statistics of {n} and {n + 1} samples of {dim} features", stats))
    expect_matches_reference(
        "frechet_distance", answer.frechet_distance, reference.frechet_distance, cases,
        "||mean_a - mean_b||² + tr cov_a + tr cov_b - 2 tr((cov_a cov_b)^(1/2))", atol=1e-7, rtol=1e-7,
    )


# KID

@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_kernel_inception_distance_matches_a_hand_computed_value(answer):
    a = np.array([[1.0, 0.0], [0.0, 1.0]])
    b = np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, 0.0]])
    kernel = lambda x, y: (np.dot(x, y) / 2 + 1) ** 3  # noqa: E731 - the contract's kernel, written out
    within_a = 2 * kernel(a[0], a[1]) / 2
    within_b = sum(kernel(b[i], b[j]) for i in range(3) for j in range(3) if i != j) / 6
    across = sum(kernel(x, y) for x in a for y in b) / 6
    call = f"kernel_inception_distance({a.tolist()}, {b.tolist()})"
    expect_close(
        expect_scalar(answer.kernel_inception_distance(a, b), call), within_a + within_b - 2 * across, call,
        "k(x, y) = (x·y / d + 1)³; within a set only pairs of distinct rows count, across the sets every pair",
    )


@pytest.mark.hint(3)
def test_kernel_inception_distance_is_unbiased_for_one_distribution(answer):
    """Two samples of one distribution: the unbiased estimate averages 0 over many draws."""
    rng = np.random.default_rng(7)
    values = [
        expect_scalar(answer.kernel_inception_distance(rng.normal(size=(8, 4)), rng.normal(size=(8, 4))), "kernel_inception_distance")
        for _ in range(300)
    ]
    spread = np.std(values) / math.sqrt(len(values))
    if abs(np.mean(values)) > 4 * spread:
        raise AssertionError(
            f"kernel_inception_distance on 300 pairs of 8-row samples from one N(0, I) averaged {np.mean(values):.4g} "
            f"± {spread:.2g}; expected 0 (leave k(x, x) out of the within-set means: divide by m(m - 1))"
        )


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_kernel_inception_distance_matches_the_contract_on_random_features(answer, reference):
    rng = np.random.default_rng(8)
    cases = [
        Case(f"features_a of shape {(m, d)}, features_b of shape {(n, d)}", (rng.normal(size=(m, d)), rng.normal(0.5, 2.0, size=(n, d))))
        for m, n, d in ((2, 2, 1), (3, 5, 2), (10, 7, 8), (64, 50, 32))
    ]
    expect_matches_reference(
        "kernel_inception_distance", answer.kernel_inception_distance, reference.kernel_inception_distance, cases,
        "unbiased MMD² with k(x, y) = (x·y / d + 1)³ over all rows", atol=1e-8, rtol=1e-8,
    )


# BLEU

@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_bleu_clips_repeated_words_as_in_the_paper(answer):
    """Papineni et al. 2002, section 2.1: seven times "the" against two references scores 2/7."""
    hypothesis = ["the"] * 7
    references = [["the", "cat", "is", "on", "the", "mat"], ["there", "is", "a", "cat", "on", "the", "mat"]]
    call = "corpus_bleu([[the cat is on the mat, there is a cat on the mat]], [the the the the the the the], max_n=1)"
    expect_close(
        expect_scalar(answer.corpus_bleu([references], [hypothesis], max_n=1), call), 2 / 7, call,
        "'the' counts at most twice, the most it occurs in any one reference; the closest reference length is 7, so no penalty",
    )


@pytest.mark.hint(5)
def test_bleu_of_a_hypothesis_equal_to_its_reference_is_one(answer):
    words = "a large circle sits at the top left of the picture".split()
    call = f"corpus_bleu([[{' '.join(words)}]], [the same words])"
    expect_close(expect_scalar(answer.corpus_bleu([[words]], [words]), call), 1.0, call, "every n-gram matches and the lengths agree")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_bleu_penalises_a_short_hypothesis_by_the_brevity_penalty(answer):
    reference_words = "the small cross sits at the bottom right".split()
    hypothesis = reference_words[:5]
    call = f"corpus_bleu([[{' '.join(reference_words)}]], [{' '.join(hypothesis)}])"
    expect_close(
        expect_scalar(answer.corpus_bleu([[reference_words]], [hypothesis]), call), math.exp(1 - 8 / 5), call,
        "every n-gram of the prefix matches, so BLEU is the brevity penalty exp(1 - r / c) with r = 8, c = 5",
    )


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_bleu_takes_the_closest_reference_length(answer):
    references = [["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f"], ["a", "b", "c"]]
    hypothesis = ["a", "b", "c", "d", "e"]
    call = "corpus_bleu([[8-word, 6-word and 3-word references]], [the first 5 words], max_n=1)"
    expect_close(
        expect_scalar(answer.corpus_bleu([references], [hypothesis], max_n=1), call), math.exp(1 - 6 / 5), call,
        "r is the reference length closest to the hypothesis's 5 words, 6 (not the shortest, 3, nor the longest, 8)",
    )
    tie = [["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f"]]
    call = "corpus_bleu([[4-word and 6-word references]], [the first 5 words], max_n=1)"
    expect_close(
        expect_scalar(answer.corpus_bleu([tie], [hypothesis], max_n=1), call), 1.0, call,
        "4 and 6 are equally close to 5: the shorter, 4, is taken, and c = 5 > r = 4 means no penalty",
    )


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_bleu_is_a_corpus_statistic_not_a_mean_of_sentence_scores(answer):
    references = [[["a", "b", "c", "d"]], [["e", "f", "g", "h"]]]
    hypotheses = [["a", "b", "c", "d"], ["e", "x", "g", "y"]]
    expected = 1.0 * math.exp((math.log(6 / 8) + math.log(3 / 6) + math.log(2 / 4) + math.log(1 / 2)) / 4)
    call = "corpus_bleu([[a b c d], [e f g h]], [a b c d, e x g y])"
    expect_close(
        expect_scalar(answer.corpus_bleu(references, hypotheses), call), expected, call,
        "matches and totals are summed over the corpus before dividing: p = 6/8, 3/6, 2/4, 1/2 "
        "(the second sentence alone would score 0 and halve a mean of sentence scores)",
    )


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_bleu_is_zero_without_smoothing_and_positive_with_it_when_no_four_gram_matches(answer):
    reference_words = "the large square is at the top".split()
    hypothesis = "the large square at the top".split()
    call = f"corpus_bleu([[{' '.join(reference_words)}]], [{' '.join(hypothesis)}]"
    expect_close(answer.corpus_bleu([[reference_words]], [hypothesis]), 0.0, call + ")", "no 4-gram matches, so p_4 = 0 and BLEU is 0")
    p = [6 / 6, (4 + 1) / (5 + 1), (2 + 1) / (4 + 1), (0 + 1) / (3 + 1)]
    expected = math.exp(1 - 7 / 6) * math.exp(sum(math.log(x) for x in p) / 4)
    expect_close(
        expect_scalar(answer.corpus_bleu([[reference_words]], [hypothesis], smooth=True), call + ", smooth=True)"), expected,
        call + ", smooth=True)", "p_n = (matches + 1) / (n-grams + 1) for n ≥ 2 only: 6/6, 5/6, 3/5, 1/4, times exp(1 - 7/6)",
    )


@pytest.mark.hint(5)
def test_bleu_of_empty_hypotheses_is_zero(answer):
    call = "corpus_bleu([[a b c]], [[]])"
    expect_close(expect_scalar(answer.corpus_bleu([[["a", "b", "c"]]], [[]]), call), 0.0, call, "no words at all: BLEU is 0")


def random_corpus(rng: np.random.Generator, size: int) -> tuple[list, list]:
    """References (one to three per hypothesis) and hypotheses over a small vocabulary."""
    references = [[sentence(rng, 3, 9) for _ in range(int(rng.integers(1, 4)))] for _ in range(size)]
    hypotheses = [sentence(rng, 2, 10) for _ in range(size)]
    return references, hypotheses


@pytest.mark.points(3)
@pytest.mark.hint(4)
def test_bleu_matches_the_contract_on_random_corpora(answer, reference):
    rng = np.random.default_rng(9)
    cases = []
    for size in (1, 2, 5, 20, 60):
        references, hypotheses = random_corpus(rng, size)
        for smooth in (False, True):
            for max_n in (1, 2, 4):
                label = f"references={references!r:.120}, hypotheses={hypotheses!r:.120}, max_n={max_n}, smooth={smooth}"
                cases.append(Case(label, (references, hypotheses), {"max_n": max_n, "smooth": smooth}))
    expect_matches_reference(
        "corpus_bleu", answer.corpus_bleu, reference.corpus_bleu, cases,
        "clipped n-gram counts and totals summed over the corpus, the geometric mean of p_1..p_max_n, "
        "and the corpus brevity penalty", atol=1e-9, rtol=1e-9,
    )


# Edit distance, WER and CER

def expect_valid_alignment(operations, reference_tokens: list, hypothesis_tokens: list, cost: int, call: str) -> None:
    """``operations`` rebuild both sequences, use the four names, and cost ``cost`` edits."""
    try:
        rows = [tuple(row) for row in operations]
        names = [row[0] for row in rows]
    except Exception as exc:  # noqa: BLE001 - the learner's return value
        raise AssertionError(f"{call} returned {operations!r:.200}; expected a list of (operation, ref token, hyp token): {exc}") from None
    unknown = sorted(set(names) - {"match", "substitute", "delete", "insert"})
    if unknown or any(len(row) != 3 for row in rows):
        raise AssertionError(f"{call} returned {rows!r:.200}; expected 3-tuples named match, substitute, delete or insert")
    rebuilt_reference = [ref for name, ref, _ in rows if name != "insert"]
    rebuilt_hypothesis = [hyp for name, _, hyp in rows if name != "delete"]
    if rebuilt_reference != list(reference_tokens) or rebuilt_hypothesis != list(hypothesis_tokens):
        raise AssertionError(
            f"{call} returned {rows!r:.300}; its tokens, read in order, give the reference {rebuilt_reference} and the "
            f"hypothesis {rebuilt_hypothesis}; expected {list(reference_tokens)} and {list(hypothesis_tokens)}"
        )
    wrong = [row for row in rows if (row[0] == "match") != (row[1] == row[2]) and row[0] in ("match", "substitute")]
    if wrong or any(row[2] is not None for row in rows if row[0] == "delete") or any(row[1] is not None for row in rows if row[0] == "insert"):
        raise AssertionError(f"{call} returned {rows!r:.300}; a match pairs equal tokens, a substitution different ones, "
                             "a deletion has hypothesis token None and an insertion reference token None")
    edits = sum(name != "match" for name in names)
    if edits != cost:
        raise AssertionError(f"{call} returned an alignment with {edits} edits: {rows!r:.300}; expected the minimum, {cost}")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_edit_operations_align_hand_made_examples(answer):
    examples = [
        ("the cat sat on the mat", "the cat sat on the mat", 0),
        ("the cat sat on the mat", "the cat on the mat", 1),
        ("the cat sat", "the fat cat sat", 1),
        ("the cat sat", "a cat sit", 2),
        ("a b c", "", 3),
        ("", "x y", 2),
        ("a b", "b c", 2),
    ]
    for ref, hyp, cost in examples:
        call = f"edit_operations({ref.split()}, {hyp.split()})"
        expect_valid_alignment(answer.edit_operations(ref.split(), hyp.split()), ref.split(), hyp.split(), cost, call)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_edit_operations_name_deletions_and_insertions_from_the_reference_side(answer):
    call = "edit_operations(['the', 'cat', 'sat'], ['the', 'sat'])"
    got = [tuple(row) for row in answer.edit_operations(["the", "cat", "sat"], ["the", "sat"])]
    if ("delete", "cat", None) not in got:
        raise AssertionError(f"{call} returned {got}; expected ('delete', 'cat', None): the hypothesis lacks a reference word")
    call = "edit_operations(['the', 'sat'], ['the', 'cat', 'sat'])"
    got = [tuple(row) for row in answer.edit_operations(["the", "sat"], ["the", "cat", "sat"])]
    if ("insert", None, "cat") not in got:
        raise AssertionError(f"{call} returned {got}; expected ('insert', None, 'cat'): the hypothesis has an extra word")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_edit_operations_are_minimal_on_random_sequences(answer, reference):
    rng = np.random.default_rng(10)
    for _ in range(40):
        ref, hyp = sentence(rng, 0, 9), sentence(rng, 0, 9)
        cost = sum(name != "match" for name, _, _ in reference.edit_operations(ref, hyp))
        expect_valid_alignment(answer.edit_operations(ref, hyp), ref, hyp, cost, f"edit_operations({ref}, {hyp})")


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_word_error_rate_on_hand_made_alignments(answer):
    examples = [
        (["the cat sat"], ["the cat sat"], 0.0, "identical sentences"),
        (["the cat sat"], ["the cat sat down"], 1 / 3, "one insertion over 3 reference words"),
        (["the cat sat on the mat"], ["the bat sat the mat"], 2 / 6, "one substitution and one deletion over 6 words"),
        (["a b"], ["c d e f"], 4 / 2, "2 substitutions and 2 insertions over 2 words: WER can exceed 1"),
        (["small  circle\ttop"], ["small circle top"], 0.0, "split on any whitespace"),
    ]
    for references, hypotheses, expected, why in examples:
        call = f"word_error_rate({references}, {hypotheses})"
        expect_close(expect_scalar(answer.word_error_rate(references, hypotheses), call), expected, call, why)


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_word_error_rate_pools_the_corpus(answer):
    references, hypotheses = ["a b c d e f g h", "x y"], ["a b c d e f g h", "q y"]
    call = f"word_error_rate({references}, {hypotheses})"
    expect_close(
        expect_scalar(answer.word_error_rate(references, hypotheses), call), 1 / 10, call,
        "1 edit over 10 reference words in all (the mean of per-sentence rates would give 0.25)",
    )


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_character_error_rate_counts_spaces(answer):
    examples = [
        (["ab cd"], ["abcd"], 1 / 5, "the missing space is a deletion, over 5 characters"),
        (["kitten"], ["sitting"], 3 / 6, "the classic: 2 substitutions and 1 insertion"),
        (["top left", "cat"], ["top  left", "cut"], 2 / 11, "2 edits over 8 + 3 characters"),
    ]
    for references, hypotheses, expected, why in examples:
        call = f"character_error_rate({references}, {hypotheses})"
        expect_close(expect_scalar(answer.character_error_rate(references, hypotheses), call), expected, call, why)


@pytest.mark.hint(7)
def test_error_rates_match_the_contract_on_random_transcripts(answer, reference):
    rng = np.random.default_rng(11)
    cases = []
    for size in (1, 3, 12):
        references = [" ".join(sentence(rng, 1, 8)) for _ in range(size)]
        hypotheses = [" ".join(sentence(rng, 0, 9)) for _ in range(size)]
        cases.append(Case(f"references={references!r:.120}, hypotheses={hypotheses!r:.120}", (references, hypotheses)))
    for name in ("word_error_rate", "character_error_rate"):
        expect_matches_reference(
            name, getattr(answer, name), getattr(reference, name), cases,
            "edits summed over the corpus, over the total reference length", atol=1e-12, rtol=1e-12,
        )


# CLIP score and zero-shot accuracy

@pytest.mark.points(2)
@pytest.mark.hint(8)
def test_clip_score_closed_forms(answer):
    rng = np.random.default_rng(12)
    images = rng.normal(size=(6, 8))
    examples = [
        (images, 3.0 * images, 2.5, "identical directions: cos = 1 for every pair, times w = 2.5; the scale does not matter"),
        (images, -images, 0.0, "opposite directions: cos = -1 is clipped to 0"),
        (np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[1.0, 1.0], [-1.0, 1.0]]), 2.5 * math.sqrt(0.5) / 2,
         "cosines sqrt(1/2) and -sqrt(1/2): the negative one counts as 0, then the mean over the 2 pairs"),
    ]
    for image_embeddings, text_embeddings, expected, why in examples:
        call = f"clip_score({fmt(image_embeddings)}, {fmt(text_embeddings)})"
        expect_close(expect_scalar(answer.clip_score(image_embeddings, text_embeddings), call), expected, call, why)
    call = "clip_score(images, 3 * images, weight=1.0)"
    expect_close(expect_scalar(answer.clip_score(images, 3.0 * images, weight=1.0), call), 1.0, call, "the weight multiplies every pair")


@pytest.mark.points(2)
@pytest.mark.hint(8)
def test_clip_score_matches_the_contract_on_random_embeddings(answer, reference):
    rng = np.random.default_rng(13)
    cases = [
        Case(f"image_embeddings of shape {(n, d)} (scale {scale}), text_embeddings of the same shape, weight={w}",
             (scale * rng.normal(size=(n, d)), rng.normal(0.2, 1.0, size=(n, d))), {"weight": w})
        for n, d, scale, w in ((1, 2, 1.0, 2.5), (5, 4, 0.01, 2.5), (32, 16, 50.0, 2.5), (32, 16, 1.0, 100.0))
    ]
    expect_matches_reference(
        "clip_score", answer.clip_score, reference.clip_score, cases,
        "the mean over pairs of weight · max(cos(image_i, text_i), 0)", atol=1e-9, rtol=1e-9,
    )


@pytest.mark.points(2)
@pytest.mark.hint(8)
def test_zero_shot_accuracy_counts_the_best_class_per_image(answer, reference):
    similarity = np.array([[0.9, 0.1, 0.3], [0.2, 0.1, 0.8], [0.4, 0.6, 0.5], [0.3, 0.2, 0.1]])
    labels = np.array([0, 2, 0, 0])
    call = f"zero_shot_accuracy({similarity.tolist()}, labels={labels.tolist()})"
    expect_close(
        expect_scalar(answer.zero_shot_accuracy(similarity, labels), call), 3 / 4, call,
        "rows are images and columns classes: the best class per row is 0, 2, 1, 0, so 3 of 4 are right",
    )
    rng = np.random.default_rng(14)
    cases = [
        Case(f"similarity of shape {(n, c)}, labels of {n} classes", (rng.normal(size=(n, c)), rng.integers(0, c, size=n)))
        for n, c in ((1, 2), (7, 3), (50, 10), (10, 50))
    ]
    expect_matches_reference(
        "zero_shot_accuracy", answer.zero_shot_accuracy, reference.zero_shot_accuracy, cases,
        "the argmax along the classes axis, compared with the labels", atol=1e-12, rtol=1e-12,
    )
