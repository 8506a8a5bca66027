"""Bug: text_to_audio word_ids is reported at line 12 (the keras.layers import) instead of its use (52) or the mmgen.toy_data import (14)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = ("test_text_to_audio_mistake_5",)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=12) if f[:2] == ('text_to_audio', 52) else f for f in MODEL_FINDINGS]
