"""Bug: text_to_audio line 72 (held-out error computed on training clips) is labelled leakage instead of metric-on-training-data."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_8",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(category="leakage") if f[:2] == ('text_to_audio', 72) else f for f in MODEL_FINDINGS]
