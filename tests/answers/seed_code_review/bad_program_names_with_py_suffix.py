"""Bug: program names carry a .py suffix (text_to_image_gan.py), which is not one of PROGRAMS."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()


def review():
    return [f._replace(program=f"{f.program}.py") for f in MODEL_FINDINGS]
