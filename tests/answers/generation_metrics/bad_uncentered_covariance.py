"""Bug: the covariance forgets to subtract the mean, so it is the second moment X^T X / (n - 1)."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = ("test_feature_statistics_are_the_mean_and_unbiased_covariance",)


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(features, dtype=np.float64)
    return values.mean(axis=0), values.T @ values / (len(values) - 1)
