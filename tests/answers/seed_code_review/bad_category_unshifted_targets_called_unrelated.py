"""Bug: image_captioning line 50 (targets not shifted) is labelled targets-unrelated-to-inputs instead of no-teacher-forcing-shift."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_image_captioning_mistake_6",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(category="targets-unrelated-to-inputs") if f[:2] == ('image_captioning', 50) else f for f in MODEL_FINDINGS]
