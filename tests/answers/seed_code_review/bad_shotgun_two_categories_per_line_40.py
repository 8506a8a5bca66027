"""Bug: hedges every non-import finding but one with a second category on the same line: 40 findings (within MAX_FINDINGS); 17 of the 18 extra ones match nothing (the validation slice may also be read as a metric on training data)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = (
    "test_at_most_five_findings_match_no_mistake",
    "test_at_most_one_finding_matches_no_mistake",
    "test_at_most_three_findings_match_no_mistake",
)
MODEL_FINDINGS = review()

OTHER_READINGS = {
    ('text_to_image_gan', 32): ('activation-mismatch',),
    ('text_to_image_gan', 45): ('shape-mismatch',),
    ('text_to_image_gan', 63): ('shape-mismatch',),
    ('text_to_image_gan', 64): ('condition-ignored',),
    ('text_to_image_gan', 76): ('condition-ignored',),
    ('image_captioning', 24): ('activation-mismatch',),
    ('image_captioning', 33): ('targets-unrelated-to-inputs',),
    ('image_captioning', 34): ('shape-mismatch',),
    ('image_captioning', 44): ('metric-on-training-data',),
    ('image_captioning', 50): ('targets-unrelated-to-inputs',),
    ('image_captioning', 63): ('leakage',),
    ('text_to_audio', 33): ('shape-mismatch',),
    ('text_to_audio', 44): ('activation-mismatch',),
    ('text_to_audio', 49): ('metric-on-training-data',),
    ('text_to_audio', 51): ('condition-ignored',),
    ('text_to_audio', 63): ('targets-unrelated-to-inputs',),
    ('text_to_audio', 68): ('condition-ignored',),
    ('text_to_audio', 72): ('leakage',),
}


def review():
    return [*MODEL_FINDINGS, *(f._replace(category=category, fix="Same line, other reading: " + f.fix)
                               for f in MODEL_FINDINGS for category in OTHER_READINGS.get(f[:2], ()))]
