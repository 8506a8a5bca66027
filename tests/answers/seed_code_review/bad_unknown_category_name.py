"""Bug: one category is 'data-leakage', which is not a key of CATEGORIES (should be 'leakage')."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    return [f._replace(category="data-leakage") if f[:2] == ('image_captioning', 44) else f for f in MODEL_FINDINGS]
