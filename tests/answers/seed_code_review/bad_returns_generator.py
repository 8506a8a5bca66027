"""Bug: review() is a generator function, so it returns a generator, not a list."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    yield from MODEL_FINDINGS
