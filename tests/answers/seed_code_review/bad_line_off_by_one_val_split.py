"""Bug: image_captioning leakage finding points at line 45 (the rng line) instead of line 44 (the overlapping validation split)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_image_captioning_mistake_5",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=45) if f[:2] == ('image_captioning', 44) else f for f in MODEL_FINDINGS]
