"""Bug: the brevity penalty is computed for each sentence and averaged, instead of once from the corpus totals c and r."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = ("test_bleu_matches_the_contract_on_random_corpora",)


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    matched, total = [0] * max_n, [0] * max_n
    hypothesis_length = 0
    penalties = []
    for refs, hypothesis in zip(references, hypotheses):
        refs, hypothesis = [list(r) for r in refs], list(hypothesis)
        hypothesis_length += len(hypothesis)
        c, r = len(hypothesis), _closest_length(refs, len(hypothesis))
        penalties.append(1.0 if c > r else (math.exp(1.0 - r / c) if c else 0.0))
        for n in range(1, max_n + 1):
            counts = _ngrams(hypothesis, n)
            most = Counter()
            for reference in refs:
                most |= _ngrams(reference, n)
            matched[n - 1] += sum(min(count, most[gram]) for gram, count in counts.items())
            total[n - 1] += sum(counts.values())
    if hypothesis_length == 0:
        return 0.0
    log_precisions = []
    for n, (hits, count) in enumerate(zip(matched, total), start=1):
        if smooth and n >= 2:
            hits, count = hits + 1, count + 1
        if hits == 0 or count == 0:
            return 0.0
        log_precisions.append(math.log(hits / count))
    brevity = sum(penalties) / len(penalties)
    return brevity * math.exp(sum(log_precisions) / max_n)
