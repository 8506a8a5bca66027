"""Bug: oversample_indices must "Shuffle the result"; this answer returns the indices grouped by group (each group's members then its extras), never shuffled."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_oversampling_shuffles_the_groups_together",)


def oversample_indices(groups, seed: int = 0) -> np.ndarray:  # noqa: F821
    groups = np.asarray(groups)  # noqa: F821
    rng = np.random.default_rng(seed)  # noqa: F821
    labels, counts = np.unique(groups, return_counts=True)  # noqa: F821
    largest = counts.max()
    picked = []
    for label in labels:
        members = np.flatnonzero(groups == label)  # noqa: F821
        extra = rng.choice(members, size=largest - len(members), replace=True)
        picked.append(np.concatenate([members, extra]))  # noqa: F821
    return np.concatenate(picked).astype(np.int64)  # noqa: F821
