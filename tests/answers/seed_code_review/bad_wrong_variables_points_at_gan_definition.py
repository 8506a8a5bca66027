"""Bug: text_to_image_gan wrong-variables-trained finding points at line 53 (where gan is built) instead of the G step's gradient/apply lines 76-77."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_7",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=53) if f[:2] == ('text_to_image_gan', 76) else f for f in MODEL_FINDINGS]
