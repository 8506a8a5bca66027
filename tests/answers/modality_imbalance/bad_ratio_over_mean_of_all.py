"""Bug: modulation_coefficients must use the ratio scores[d] / mean(other scores); this answer divides by the mean of all scores, dominant included, so the ratio (and the slow-down) is too small."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modulation_slows_only_the_dominant_modality", "test_modulation_matches_the_contract_for_two_to_four_modalities")


def modulation_coefficients(scores, alpha: float = 1.0):
    dominant = max(scores, key=scores.get)
    ratio = scores[dominant] / max(float(np.mean(list(scores.values()))), 1e-8)  # noqa: F821
    return {name: (1.0 - float(np.tanh(alpha * (ratio - 1.0))) if name == dominant else 1.0) for name in scores}  # noqa: F821
