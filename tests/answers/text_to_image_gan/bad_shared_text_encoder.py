"""Bug: each step must update only its own network's variables; this build_text_encoder memoises one encoder per vocab_size, so G and D share it and the generator step also moves D's caption encoder (and vice versa)."""

import keras

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only",)
_reference_build_text_encoder = build_text_encoder  # noqa: F821
_ENCODERS = {}


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    """One caption encoder per vocabulary, reused by every network that reads captions."""
    key = (vocab_size, dim)
    if key not in _ENCODERS:
        _ENCODERS[key] = _reference_build_text_encoder(vocab_size, dim)
    return _ENCODERS[key]
