"""Bug: the covariance divides by n instead of n - 1 (the biased, maximum-likelihood estimate)."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = ("test_feature_statistics_are_the_mean_and_unbiased_covariance",)


def feature_statistics(features) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(features, dtype=np.float64)
    mean = values.mean(axis=0)
    centred = values - mean
    return mean, centred.T @ centred / len(values)
