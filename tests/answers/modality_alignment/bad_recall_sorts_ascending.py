"""Bug: recall@k takes the k smallest scores of each row (np.argsort is ascending) instead of the k largest."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_recall_at_k_is_one_for_the_identity", "test_recall_at_k_matches_a_hand_made_case")


def recall_at_k(similarity, k):
    scores = np.asarray(similarity)
    top = np.argsort(scores, axis=1)[:, :k]
    return float(np.mean([i in row for i, row in enumerate(top)]))
