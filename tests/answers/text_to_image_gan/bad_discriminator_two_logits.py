"""Bug: the discriminator ends in two class logits (real, fake) instead of one logit per example."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_returns_one_logit_per_example",)
_reference_build_discriminator = build_discriminator  # noqa: F821


def build_discriminator(vocab_size):
    one_logit = _reference_build_discriminator(vocab_size)
    return keras.Model(one_logit.inputs, layers.Dense(2)(one_logit.outputs[0]))
