"""Bug: one line number (image_captioning condition-ignored) is the string "33", not an int."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    return [f._replace(line="33") if f[:2] == ('image_captioning', 33) else f for f in MODEL_FINDINGS]
