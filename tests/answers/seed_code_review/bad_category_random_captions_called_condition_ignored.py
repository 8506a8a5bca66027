"""Bug: text_to_image_gan line 64 (random captions paired with real images) is labelled condition-ignored instead of targets-unrelated-to-inputs."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_image_gan_mistake_6",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(category="condition-ignored") if f[:2] == ('text_to_image_gan', 64) else f for f in MODEL_FINDINGS]
