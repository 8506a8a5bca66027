"""Bug: one fix (text_to_image_gan line 10) is an empty string."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    return [f._replace(fix="") if f[:2] == ('text_to_image_gan', 10) else f for f in MODEL_FINDINGS]
