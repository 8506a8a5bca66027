"""Bug: every line number is 0-based (one less than the 1-based line the contract asks for)."""

from reference_copy import start_from_reference

start_from_reference("seed_code_review", globals())
CAUGHT_BY = (
    "test_at_most_five_findings_match_no_mistake",
    "test_at_most_one_finding_matches_no_mistake",
    "test_at_most_three_findings_match_no_mistake",
    "test_image_captioning_mistake_2",
    "test_image_captioning_mistake_3",
    "test_image_captioning_mistake_4",
    "test_image_captioning_mistake_6",
    "test_image_captioning_mistake_7",
    "test_text_to_audio_mistake_1",
    "test_text_to_audio_mistake_2",
    "test_text_to_audio_mistake_3",
    "test_text_to_audio_mistake_4",
    "test_text_to_audio_mistake_5",
    "test_text_to_audio_mistake_6",
    "test_text_to_audio_mistake_7",
    "test_text_to_audio_mistake_8",
    "test_text_to_image_gan_mistake_2",
    "test_text_to_image_gan_mistake_3",
    "test_text_to_image_gan_mistake_4",
    "test_text_to_image_gan_mistake_5",
    "test_text_to_image_gan_mistake_6",
    "test_text_to_image_gan_mistake_7",
)
MODEL_FINDINGS = review()


def review():
    return [f._replace(line=f.line - 1) for f in MODEL_FINDINGS]
