"""Bug: the within-set kernel means include the diagonal k(x_i, x_i), giving the biased MMD estimate instead of the unbiased one."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_kernel_inception_distance_is_unbiased_for_one_distribution",
    "test_kernel_inception_distance_matches_a_hand_computed_value",
    "test_kernel_inception_distance_matches_the_contract_on_random_features",
)


def kernel_inception_distance(features_a, features_b) -> float:
    a = np.asarray(features_a, dtype=np.float64)
    b = np.asarray(features_b, dtype=np.float64)
    dim = a.shape[1]
    k_aa, k_bb, k_ab = ((x @ y.T / dim + 1.0) ** 3 for x, y in ((a, a), (b, b), (a, b)))
    return float(k_aa.mean() + k_bb.mean() - 2.0 * k_ab.mean())
