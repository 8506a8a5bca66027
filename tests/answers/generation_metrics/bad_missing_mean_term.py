"""Bug: the squared distance between the means is left out, so only the covariance term is returned."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = (
    "test_frechet_distance_matches_the_contract_on_random_features",
    "test_frechet_distance_with_equal_covariances_is_the_squared_mean_distance",
)


def frechet_distance(mean_a, cov_a, mean_b, cov_b) -> float:
    covariance_term = np.trace(np.asarray(cov_a, np.float64)) + np.trace(np.asarray(cov_b, np.float64))
    distance = covariance_term - 2.0 * trace_sqrt_product(cov_a, cov_b)
    return max(float(distance), 0.0)
