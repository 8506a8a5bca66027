"""Bug: it computes BLEU for each sentence on its own and returns the mean of those sentence scores instead of pooling the counts over the corpus."""


from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_bleu_is_a_corpus_statistic_not_a_mean_of_sentence_scores",
    "test_bleu_matches_the_contract_on_random_corpora",
)


def corpus_bleu(references, hypotheses, max_n: int = 4, smooth: bool = False) -> float:
    scores = []
    for refs, hypothesis in zip(references, hypotheses):
        refs, hypothesis = [list(r) for r in refs], list(hypothesis)
        if not hypothesis:
            scores.append(0.0)
            continue
        log_precisions = []
        for n in range(1, max_n + 1):
            counts = _ngrams(hypothesis, n)
            most = Counter()
            for reference in refs:
                most |= _ngrams(reference, n)
            hits = sum(min(count, most[gram]) for gram, count in counts.items())
            count = sum(counts.values())
            if smooth and n >= 2:
                hits, count = hits + 1, count + 1
            if hits == 0 or count == 0:
                log_precisions = None
                break
            log_precisions.append(math.log(hits / count))
        if log_precisions is None:
            scores.append(0.0)
            continue
        c, r = len(hypothesis), _closest_length(refs, len(hypothesis))
        brevity = 1.0 if c > r else math.exp(1.0 - r / c)
        scores.append(brevity * math.exp(sum(log_precisions) / max_n))
    if not scores:
        return 0.0
    return float(sum(scores) / len(scores))
