"""Bug: weights are proportional to the group's frequency, so the majority counts even more."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_weights_are_inverse_to_frequency",)


def inverse_frequency_weights(groups):
    groups = np.asarray(groups)
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    weights = counts[inverse].astype(np.float64)
    return (weights * len(groups) / weights.sum()).astype(np.float32)
