"""Bug: lists every flagged line under three categories: 66 findings, more than MAX_FINDINGS (40)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_1", "test_at_most_five_findings_match_no_mistake")
MODEL_FINDINGS = review()

OTHER_READINGS = {
    ('text_to_image_gan', 31): ('targets-unrelated-to-inputs', 'shape-mismatch'),
    ('text_to_image_gan', 32): ('activation-mismatch', 'condition-ignored'),
    ('text_to_image_gan', 10): ('shape-mismatch', 'condition-ignored'),
    ('text_to_image_gan', 45): ('shape-mismatch', 'leakage'),
    ('text_to_image_gan', 63): ('shape-mismatch', 'leakage'),
    ('text_to_image_gan', 64): ('condition-ignored', 'leakage'),
    ('text_to_image_gan', 76): ('condition-ignored', 'shape-mismatch'),
    ('image_captioning', 24): ('activation-mismatch', 'condition-ignored'),
    ('image_captioning', 10): ('shape-mismatch', 'condition-ignored'),
    ('image_captioning', 33): ('targets-unrelated-to-inputs', 'shape-mismatch'),
    ('image_captioning', 34): ('shape-mismatch', 'leakage'),
    ('image_captioning', 44): ('metric-on-training-data', 'targets-unrelated-to-inputs'),
    ('image_captioning', 50): ('targets-unrelated-to-inputs', 'shape-mismatch'),
    ('image_captioning', 63): ('leakage', 'targets-unrelated-to-inputs'),
    ('text_to_audio', 33): ('shape-mismatch', 'leakage'),
    ('text_to_audio', 44): ('activation-mismatch', 'condition-ignored'),
    ('text_to_audio', 49): ('metric-on-training-data', 'targets-unrelated-to-inputs'),
    ('text_to_audio', 51): ('condition-ignored', 'leakage'),
    ('text_to_audio', 52): ('shape-mismatch', 'condition-ignored'),
    ('text_to_audio', 63): ('targets-unrelated-to-inputs', 'shape-mismatch'),
    ('text_to_audio', 68): ('condition-ignored', 'shape-mismatch'),
    ('text_to_audio', 72): ('leakage', 'targets-unrelated-to-inputs'),
}


def review():
    return [*MODEL_FINDINGS, *(f._replace(category=category, fix="Same line, other reading: " + f.fix)
                               for f in MODEL_FINDINGS for category in OTHER_READINGS.get(f[:2], ()))]
