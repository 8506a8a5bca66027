"""Bug: inverse_frequency_weights must use K = the number of groups present (labels are any hashable values); this answer counts with np.bincount(groups), so for integer labels that are not 0..K-1 (e.g. {0, 2} or {1, 2}) the empty bins inflate K and the weights no longer sum to n (and string labels fail)."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_weights_match_the_contract_for_any_labels",)


def inverse_frequency_weights(groups):
    groups = np.asarray(groups)  # noqa: F821
    counts = np.bincount(groups)  # noqa: F821
    return (len(groups) / (len(counts) * counts[groups])).astype(np.float32)  # noqa: F821
