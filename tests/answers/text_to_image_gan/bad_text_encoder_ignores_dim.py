"""Bug: the text encoder hard-codes its width instead of using the `dim` argument."""

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_text_encoder_maps_captions_of_any_length_to_vectors",)
_reference_text_encoder = build_text_encoder  # noqa: F821


def build_text_encoder(vocab_size, dim=32):
    return _reference_text_encoder(vocab_size, 32)
