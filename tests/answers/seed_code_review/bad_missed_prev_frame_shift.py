"""Bug: misses the text_to_audio teacher-forcing mistake (line 63: prev frames are the targets themselves)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_6",)
MODEL_FINDINGS = review()


def review():
    return [f for f in MODEL_FINDINGS if f[:2] != ("text_to_audio", 63)]
