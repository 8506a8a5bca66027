"""Bug: the polynomial kernel is (x . y + 1)^3, forgetting to divide the dot product by the feature dimension d."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_kernel_inception_distance_matches_a_hand_computed_value",
    "test_kernel_inception_distance_matches_the_contract_on_random_features",
)


def kernel_inception_distance(features_a, features_b) -> float:
    a = np.asarray(features_a, dtype=np.float64)
    b = np.asarray(features_b, dtype=np.float64)
    k_aa, k_bb, k_ab = ((x @ y.T + 1.0) ** 3 for x, y in ((a, a), (b, b), (a, b)))
    m, n = len(a), len(b)
    within_a = (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1))
    within_b = (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1))
    return float(within_a + within_b - 2.0 * k_ab.mean())
