"""Bug: weights are 1 / count without normalising, so they sum to the number of groups and shrink the loss."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_weighted_total_equals_the_unweighted_count", "test_weights_are_inverse_to_frequency")


def inverse_frequency_weights(groups):
    groups = np.asarray(groups)
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    return (1.0 / counts[inverse]).astype(np.float32)
