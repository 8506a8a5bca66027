"""Bug: it calls np.linalg.eigvalsh on the non-symmetric product cov_a @ cov_b, which silently reads only its lower triangle and so returns the wrong eigenvalues."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_frechet_distance_is_symmetric",
    "test_frechet_distance_matches_the_contract_on_random_features",
    "test_trace_sqrt_product_is_real_and_right_for_singular_covariances",
    "test_trace_sqrt_product_matches_the_contract_on_random_covariances",
)


def trace_sqrt_product(cov_a, cov_b) -> float:
    product = np.asarray(cov_a, dtype=np.float64) @ np.asarray(cov_b, dtype=np.float64)
    eigenvalues = np.linalg.eigvalsh(product)
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))
