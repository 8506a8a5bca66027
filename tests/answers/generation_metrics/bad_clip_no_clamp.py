"""Bug: negative cosines are not clamped at 0 (the max(cos, 0) is missing), so they pull the mean down."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = ("test_clip_score_closed_forms", "test_clip_score_matches_the_contract_on_random_embeddings")


def clip_score(image_embeddings, text_embeddings, weight: float = 2.5) -> float:
    images = np.asarray(image_embeddings, dtype=np.float64)
    texts = np.asarray(text_embeddings, dtype=np.float64)
    cosine = np.sum(images * texts, axis=1) / (np.linalg.norm(images, axis=1) * np.linalg.norm(texts, axis=1))
    return float(np.mean(weight * cosine))
