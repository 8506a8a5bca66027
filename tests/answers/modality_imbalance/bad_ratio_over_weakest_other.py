"""Bug: modulation_coefficients must divide the dominant score by the mean of the other scores; this answer divides by the weakest other score (min), which differs whenever there are three or more modalities."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modulation_matches_the_contract_for_two_to_four_modalities",)


def modulation_coefficients(scores, alpha: float = 1.0):
    dominant = max(scores, key=scores.get)
    others = [value for name, value in scores.items() if name != dominant]
    ratio = scores[dominant] / max(float(min(others)), 1e-8)
    return {name: (1.0 - float(np.tanh(alpha * (ratio - 1.0))) if name == dominant else 1.0) for name in scores}  # noqa: F821
