"""Bug: it uses tr(cov_a^(1/2) cov_b^(1/2)) as if (cov_a cov_b)^(1/2) were the product of the two square roots, which only holds when the matrices commute."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_frechet_distance_matches_the_contract_on_random_features",
    "test_trace_sqrt_product_is_real_and_right_for_singular_covariances",
    "test_trace_sqrt_product_matches_the_contract_on_random_covariances",
)


def trace_sqrt_product(cov_a, cov_b) -> float:
    root_a = _psd_sqrt(np.asarray(cov_a, dtype=np.float64))
    root_b = _psd_sqrt(np.asarray(cov_b, dtype=np.float64))
    return float(np.trace(root_a @ root_b))
