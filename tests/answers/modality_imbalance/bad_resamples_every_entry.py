"""Bug: every group is drawn `largest` times with replacement, so some rare samples never appear."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_oversampling_keeps_every_sample_and_the_largest_groups_once",)


def oversample_indices(groups, seed=0):
    groups = np.asarray(groups)
    rng = np.random.default_rng(seed)
    labels, counts = np.unique(groups, return_counts=True)
    picked = [rng.choice(np.flatnonzero(groups == label), size=counts.max(), replace=True) for label in labels]
    return rng.permutation(np.concatenate(picked))
