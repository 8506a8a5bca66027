"""Bug: inverse_frequency_weights must give w_i = n / (K * count(group of i)) so every group carries n / K; this answer uses the softer 1 / sqrt(count) weighting rescaled to sum to n, so rare groups still carry less total weight."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_weighted_total_equals_the_unweighted_count", "test_weights_match_the_contract_for_any_labels")


def inverse_frequency_weights(groups):
    groups = np.asarray(groups)  # noqa: F821
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)  # noqa: F821
    raw = 1.0 / np.sqrt(counts[inverse])  # noqa: F821
    return (raw * len(groups) / raw.sum()).astype(np.float32)  # noqa: F821
