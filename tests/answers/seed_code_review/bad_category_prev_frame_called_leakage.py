"""Bug: text_to_audio line 63 (prev frame = own target) is labelled leakage instead of no-teacher-forcing-shift."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_6",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(category="leakage") if f[:2] == ('text_to_audio', 63) else f for f in MODEL_FINDINGS]
