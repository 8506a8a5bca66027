"""Bug: the dynamic programme charges 2 for a substitution (as in LCS-style distance), so the alignment maximises matches rather than minimising edits and can use more operations than the Levenshtein minimum."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_edit_operations_are_minimal_on_random_sequences",
    "test_error_rates_match_the_contract_on_random_transcripts",
)


def edit_operations(reference, hypothesis) -> list[tuple[str, object, object]]:
    ref, hyp = list(reference), list(hypothesis)
    cost = np.zeros((len(ref) + 1, len(hyp) + 1), dtype=np.int64)
    cost[:, 0] = np.arange(len(ref) + 1)
    cost[0, :] = np.arange(len(hyp) + 1)
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            diagonal = cost[i - 1, j - 1] + 2 * (ref[i - 1] != hyp[j - 1])
            cost[i, j] = min(diagonal, cost[i - 1, j] + 1, cost[i, j - 1] + 1)
    operations = []
    i, j = len(ref), len(hyp)
    while i or j:
        if i and j and cost[i, j] == cost[i - 1, j - 1] + 2 * (ref[i - 1] != hyp[j - 1]):
            operations.append(("match" if ref[i - 1] == hyp[j - 1] else "substitute", ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i and cost[i, j] == cost[i - 1, j] + 1:
            operations.append(("delete", ref[i - 1], None))
            i -= 1
        else:
            operations.append(("insert", None, hyp[j - 1]))
            j -= 1
    return operations[::-1]
