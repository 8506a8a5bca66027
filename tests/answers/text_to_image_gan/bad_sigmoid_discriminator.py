"""Bug: the discriminator ends in a sigmoid although the losses expect logits."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_discriminator_returns_logits_not_probabilities",)
_reference_build_discriminator = build_discriminator  # noqa: F821


def build_discriminator(vocab_size):
    logits_model = _reference_build_discriminator(vocab_size)
    return keras.Model(logits_model.inputs, layers.Activation("sigmoid")(logits_model.outputs[0]))
