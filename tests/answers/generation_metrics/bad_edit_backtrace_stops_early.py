"""Bug: the backtrace loop runs only while both indices are positive, so leading deletions or insertions left at the edge of the table are dropped from the alignment."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_edit_operations_align_hand_made_examples",
    "test_edit_operations_are_minimal_on_random_sequences",
    "test_error_rates_match_the_contract_on_random_transcripts",
    "test_word_error_rate_on_hand_made_alignments",
)


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    ref, hyp = list(reference), list(hypothesis)
    cost = np.zeros((len(ref) + 1, len(hyp) + 1), dtype=np.int64)
    cost[:, 0] = np.arange(len(ref) + 1)
    cost[0, :] = np.arange(len(hyp) + 1)
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            diagonal = cost[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1])
            cost[i, j] = min(diagonal, cost[i - 1, j] + 1, cost[i, j - 1] + 1)
    operations = []
    i, j = len(ref), len(hyp)
    while i > 0 and j > 0:
        if cost[i, j] == cost[i - 1, j - 1] + (ref[i - 1] != hyp[j - 1]):
            operations.append(("match" if ref[i - 1] == hyp[j - 1] else "substitute", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif cost[i, j] == cost[i - 1, j] + 1:
            operations.append(("delete", ref[i - 1], None))
            i -= 1
        else:
            operations.append(("insert", None, hyp[j - 1]))
            j -= 1
    return operations[::-1]
