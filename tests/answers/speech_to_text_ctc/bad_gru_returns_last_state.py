"""Bug: the GRU is built without return_sequences=True, so the model gives one score vector per clip
(its last state) instead of logits for every frame, and CTC has nothing to align."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_model_returns_logits_for_every_frame",)


def build_model(num_classes=NUM_CLASSES):  # noqa: F821
    features = keras.Input(shape=(None, NUM_BINS))  # noqa: F821
    x = layers.LayerNormalization()(features)
    x = layers.Conv1D(64, 3, padding="same", activation="relu")(x)
    x = layers.Bidirectional(layers.GRU(32))(x)
    return keras.Model(features, layers.Dense(num_classes)(x))
