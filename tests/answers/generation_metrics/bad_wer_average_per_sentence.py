"""Bug: it returns the mean of the per-sentence WERs instead of pooling edits and reference words over the corpus."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_error_rates_match_the_contract_on_random_transcripts",
    "test_word_error_rate_pools_the_corpus",
)


def word_error_rate(references, hypotheses) -> float:
    rates = []
    for reference, hypothesis in zip(references, hypotheses):
        ref, hyp = str(reference).split(), str(hypothesis).split()
        edits = sum(operation != "match" for operation, _, _ in edit_operations(ref, hyp))
        rates.append(edits / max(len(ref), 1))
    return float(np.mean(rates))
