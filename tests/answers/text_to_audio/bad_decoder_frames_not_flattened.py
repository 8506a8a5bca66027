"""Bug: the decoder returns its frames as (batch, t, SAMPLES_PER_TOKEN) and never joins them into one
waveform of t * SAMPLES_PER_TOKEN samples."""

import keras
from keras import layers

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_audio_decoder_returns_frames_times_hop_samples",
    "test_text_to_audio_returns_waveforms_in_range",
    "test_synthesize_returns_numpy_waveforms_in_range",
)


def build_audio_decoder(dim=TEXT_DIM):  # noqa: F821
    features = keras.Input(shape=(None, dim))
    x = layers.Dense(128, activation="relu")(features)
    return keras.Model(features, layers.Dense(SAMPLES_PER_TOKEN, activation="tanh")(x))  # noqa: F821
