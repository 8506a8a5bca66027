"""Bug: the missing Embedding import is reported in text_to_image_gan line 10 (which does import Embedding) instead of image_captioning line 10."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_image_captioning_mistake_2",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(program="text_to_image_gan") if f[:2] == ('image_captioning', 10) else f for f in MODEL_FINDINGS]
