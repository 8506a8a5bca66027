"""Bug: the text->image head ends in a softmax, as if the 49 block features were a class distribution; its outputs
must then sum to 1, while the block means of an image do not, so the regression cannot fit."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_training_lowers_both_task_losses",)
_Reference = MultiTaskModel  # noqa: F821


class MultiTaskModel(_Reference):
    def __init__(self, vocab_size, dim=HIDDEN, **kwargs):  # noqa: F821
        super().__init__(vocab_size, dim, **kwargs)
        self.feature_head = keras.Sequential([keras.Input((dim,)), layers.Dense(FEATURE_DIM, activation="softmax")])  # noqa: F821
