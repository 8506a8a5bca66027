"""Bug: codebook_usage measures the entropy in bits (log2) but exponentiates it with e, so the perplexity is wrong."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_codebook_usage_closed_forms",)


def codebook_usage(indices, num_codes: int) -> tuple[float, float]:
    counts = np.bincount(np.asarray(indices).reshape(-1), minlength=num_codes).astype(np.float64)
    frequencies = counts / counts.sum()
    used = frequencies[frequencies > 0]
    return float(np.mean(counts > 0)), float(np.exp(-np.sum(used * np.log2(used))))
