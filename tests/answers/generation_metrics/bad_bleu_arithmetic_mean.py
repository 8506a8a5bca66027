"""Bug: the n-gram precisions are combined by their arithmetic mean instead of their geometric mean."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_bleu_is_a_corpus_statistic_not_a_mean_of_sentence_scores",
    "test_bleu_is_zero_without_smoothing_and_positive_with_it_when_no_four_gram_matches",
    "test_bleu_matches_the_contract_on_random_corpora",
)


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    matched, total = [0] * max_n, [0] * max_n
    hypothesis_length = reference_length = 0
    for refs, hypothesis in zip(references, hypotheses):
        refs, hypothesis = [list(r) for r in refs], list(hypothesis)
        hypothesis_length += len(hypothesis)
        reference_length += _closest_length(refs, len(hypothesis))
        for n in range(1, max_n + 1):
            counts = _ngrams(hypothesis, n)
            most = Counter()
            for reference in refs:
                most |= _ngrams(reference, n)
            matched[n - 1] += sum(min(count, most[gram]) for gram, count in counts.items())
            total[n - 1] += sum(counts.values())
    if hypothesis_length == 0:
        return 0.0
    precisions = []
    for n, (hits, count) in enumerate(zip(matched, total), start=1):
        if smooth and n >= 2:
            hits, count = hits + 1, count + 1
        if hits == 0 or count == 0:
            return 0.0
        precisions.append(hits / count)
    brevity = 1.0 if hypothesis_length > reference_length else math.exp(1.0 - reference_length / hypothesis_length)
    return brevity * sum(precisions) / max_n
