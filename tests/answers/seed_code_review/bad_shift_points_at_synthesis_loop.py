"""Bug: text_to_audio no-teacher-forcing-shift finding points at line 76 (the correct synthesis loop) instead of line 63 (the training prev frames)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_6",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=76) if f[:2] == ('text_to_audio', 63) else f for f in MODEL_FINDINGS]
