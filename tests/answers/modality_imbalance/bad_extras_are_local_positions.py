"""Bug: oversample_indices must draw a smaller group's extra entries from that group; this answer draws positions 0..count-1 within the group (rng.choice(len(members))) and returns them as data-set indices, so the extras point at the first samples of the data set, not at the group."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_oversampling_balances_the_groups", "test_oversampling_draws_the_extras_uniformly_from_the_group")


def oversample_indices(groups, seed: int = 0) -> np.ndarray:  # noqa: F821
    groups = np.asarray(groups)  # noqa: F821
    rng = np.random.default_rng(seed)  # noqa: F821
    labels, counts = np.unique(groups, return_counts=True)  # noqa: F821
    largest = counts.max()
    picked = []
    for label in labels:
        members = np.flatnonzero(groups == label)  # noqa: F821
        extra = rng.choice(len(members), size=largest - len(members), replace=True)
        picked.append(np.concatenate([members, extra]))  # noqa: F821
    return rng.permutation(np.concatenate(picked)).astype(np.int64)  # noqa: F821
