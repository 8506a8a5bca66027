"""Bug: the caption head reshapes its output to (vocab_size, 6) instead of (6, vocab_size), so the logits of a
position are spread across the wrong axis."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_model_returns_features_and_caption_logits",)
_Reference = MultiTaskModel  # noqa: F821


class MultiTaskModel(_Reference):
    def __init__(self, vocab_size, dim=HIDDEN, **kwargs):  # noqa: F821
        super().__init__(vocab_size, dim, **kwargs)
        self.caption_head = keras.Sequential(
            [keras.Input((dim,)), layers.Dense(CAPTION_LENGTH * vocab_size), layers.Reshape((vocab_size, CAPTION_LENGTH))])  # noqa: F821
