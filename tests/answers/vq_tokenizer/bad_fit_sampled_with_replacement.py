"""Bug: fit_residual_codebooks picks the starting rows with replace=True instead of replace=False."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_fit_residual_codebooks_matches_the_contract",)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    residuals = np.array(vectors, dtype=np.float64)
    rng = np.random.default_rng(seed)
    codebooks = []
    for _ in range(num_stages):
        centroids = residuals[rng.choice(len(residuals), num_codes)].copy()
        for _ in range(iterations):
            assigned = _nearest(residuals, centroids)  # noqa: F821
            for code in range(num_codes):
                members = residuals[assigned == code]
                if len(members):
                    centroids[code] = members.mean(axis=0)
        residuals = residuals - centroids[_nearest(residuals, centroids)]  # noqa: F821
        codebooks.append(centroids)
    return np.stack(codebooks)
