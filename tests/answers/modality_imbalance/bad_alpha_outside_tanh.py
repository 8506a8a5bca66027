"""Bug: modulation_coefficients must give 1 - tanh(alpha * (ratio - 1)); this answer computes 1 - alpha * tanh(ratio - 1), which agrees only at alpha = 1 (and can go negative for alpha > 1)."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modulation_slows_only_the_dominant_modality", "test_modulation_matches_the_contract_for_two_to_four_modalities")


def modulation_coefficients(scores, alpha: float = 1.0):
    dominant = max(scores, key=scores.get)
    others = [value for name, value in scores.items() if name != dominant]
    ratio = scores[dominant] / max(float(np.mean(others)), 1e-8)  # noqa: F821
    return {name: (1.0 - alpha * float(np.tanh(ratio - 1.0)) if name == dominant else 1.0) for name in scores}  # noqa: F821
