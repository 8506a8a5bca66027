"""Bug (as in the seed's decoder): the last layer applies a softmax, and the loss then treats those
probabilities as logits."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_captioner_returns_logits_not_probabilities",)
_reference_build_captioner = build_captioner  # noqa: F821


def build_captioner(vocab_size, hidden=64):
    model = _reference_build_captioner(vocab_size, hidden)
    return keras.Model(model.inputs, layers.Softmax()(model.outputs[0]))
