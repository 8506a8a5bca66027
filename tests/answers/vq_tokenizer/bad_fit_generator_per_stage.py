"""Bug: fit_residual_codebooks makes a new default_rng(seed) per stage, so every stage starts from the same rows."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_fit_residual_codebooks_matches_the_contract",)


def fit_residual_codebooks(vectors, num_stages: int, num_codes: int, iterations: int = 20, seed: int = 0) -> np.ndarray:
    residuals = np.array(vectors, dtype=np.float64)
    codebooks = []
    for _ in range(num_stages):
        rng = np.random.default_rng(seed)
        centroids = residuals[rng.choice(len(residuals), num_codes, replace=False)].copy()
        for _ in range(iterations):
            assigned = _nearest(residuals, centroids)  # noqa: F821
            for code in range(num_codes):
                members = residuals[assigned == code]
                if len(members):
                    centroids[code] = members.mean(axis=0)
        residuals = residuals - centroids[_nearest(residuals, centroids)]  # noqa: F821
        codebooks.append(centroids)
    return np.stack(codebooks)
