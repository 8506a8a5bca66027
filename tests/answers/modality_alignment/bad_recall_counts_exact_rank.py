"""Bug: recall@k counts the rows whose own column is ranked exactly k-th (rank == k - 1) instead of within the top k."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_recall_at_k_is_one_for_the_identity",
    "test_recall_at_k_matches_a_hand_made_case",
    "test_recall_at_k_does_not_fall_as_k_grows_and_is_one_at_n",
)


def recall_at_k(similarity, k):
    scores = np.asarray(similarity, dtype=np.float64)
    rank = np.sum(scores > np.diagonal(scores)[:, None], axis=1)
    return float(np.mean(rank == k - 1))
