"""Bug: the decoder's last layer is linear (no tanh), so nothing keeps the waveform in [-1, 1]."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_audio_decoder_returns_frames_times_hop_samples",)


def build_audio_decoder(dim=TEXT_DIM):  # noqa: F821
    features = keras.Input(shape=(None, dim))
    x = layers.Dense(128, activation="relu")(features)
    return keras.Model(features, layers.Reshape((-1,))(layers.Dense(SAMPLES_PER_TOKEN)(x)))  # noqa: F821
