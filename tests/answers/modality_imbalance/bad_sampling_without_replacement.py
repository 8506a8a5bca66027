"""Bug: the extra entries are drawn without replacement, which fails when a group is smaller than the gap."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_oversampling_balances_the_groups",)


def oversample_indices(groups, seed=0):
    groups = np.asarray(groups)
    rng = np.random.default_rng(seed)
    labels, counts = np.unique(groups, return_counts=True)
    picked = []
    for label in labels:
        members = np.flatnonzero(groups == label)
        picked.append(np.concatenate([members, rng.choice(members, size=counts.max() - len(members), replace=False)]))
    return rng.permutation(np.concatenate(picked))
