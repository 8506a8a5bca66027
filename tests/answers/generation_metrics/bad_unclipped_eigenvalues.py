"""Bug: the eigenvalues of S cov_b S are square-rooted without clipping the negative round-off ones at 0, so singular (rank-deficient) covariances can give NaN."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_frechet_distance_is_symmetric",
    "test_frechet_distance_matches_the_contract_on_random_features",
    "test_frechet_distance_of_identical_gaussians_is_zero",
    "test_trace_sqrt_product_is_real_and_right_for_singular_covariances",
)


def trace_sqrt_product(cov_a, cov_b) -> float:
    root_a = _psd_sqrt(np.asarray(cov_a, dtype=np.float64))
    middle = root_a @ np.asarray(cov_b, dtype=np.float64) @ root_a
    eigenvalues = np.linalg.eigvalsh((middle + middle.T) / 2)
    return float(np.sum(np.sqrt(eigenvalues)))
