"""Bug: the modulation slows the weaker modality (lowest score) instead of the dominant one."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modulation_slows_only_the_dominant_modality",)


def modulation_coefficients(scores, alpha=1.0):
    weakest = min(scores, key=scores.get)
    strongest = max(scores, key=scores.get)
    ratio = scores[strongest] / scores[weakest]
    return {name: (1.0 - float(np.tanh(alpha * (ratio - 1.0))) if name == weakest else 1.0) for name in scores}
