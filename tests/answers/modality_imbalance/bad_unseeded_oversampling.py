"""Bug: the generator is created without the seed, so each call gives a different order and draw."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_oversampling_is_deterministic_for_a_seed",)


def oversample_indices(groups, seed=0):
    groups = np.asarray(groups)
    rng = np.random.default_rng()
    labels, counts = np.unique(groups, return_counts=True)
    picked = []
    for label in labels:
        members = np.flatnonzero(groups == label)
        picked.append(np.concatenate([members, rng.choice(members, size=counts.max() - len(members))]))
    return rng.permutation(np.concatenate(picked))
