"""Bug: recall@k ranks within each row i (image -> text); this answer ranks within each column (text -> image)."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_recall_at_k_matches_a_hand_made_case", "test_recall_at_k_matches_the_contract_on_scores_without_ties")


def recall_at_k(similarity, k: int) -> float:
    scores = np.asarray(similarity, dtype=np.float64)
    own = np.diagonal(scores)[None, :]
    rank = np.sum(scores > own, axis=0)
    return float(np.mean(rank < k))
