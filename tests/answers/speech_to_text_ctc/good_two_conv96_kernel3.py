"""A sound alternative from issue 13: the reference's features, loss, step and decoder, with a
model of two Conv1D(96, 3) layers and no normalisation inside it (the features are already
standardised per clip). Under the old learning budget (Adam(1e-2)) it plateaued at 166/200
held-out clips; with the stated Adam(3e-3) it reads them all within 150 calls."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:  # noqa: F821
    return keras.Sequential([
        keras.Input((None, NUM_BINS)),  # noqa: F821
        layers.Conv1D(96, 3, padding="same", activation="relu"),
        layers.Conv1D(96, 3, padding="same", activation="relu"),
        layers.Dense(num_classes),
    ])
