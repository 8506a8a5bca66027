"""Bug: the text_to_audio metric-on-training-data finding is at line 80, past the end of the 79-line script."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=80) if f[:2] == ('text_to_audio', 72) else f for f in MODEL_FINDINGS]
