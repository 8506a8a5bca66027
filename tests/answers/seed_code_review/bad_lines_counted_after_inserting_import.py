"""Bug: text_to_image_gan lines after 11 are read from an edited copy with an extra import line inserted, so they are one too high."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = (
    "test_at_most_one_finding_matches_no_mistake",
    "test_at_most_three_findings_match_no_mistake",
    "test_text_to_image_gan_mistake_1",
    "test_text_to_image_gan_mistake_4",
    "test_text_to_image_gan_mistake_5",
    "test_text_to_image_gan_mistake_6",
)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=f.line + 1) if f.program == "text_to_image_gan" and f.line > 11 else f for f in MODEL_FINDINGS]
