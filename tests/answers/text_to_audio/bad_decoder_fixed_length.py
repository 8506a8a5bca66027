"""Bug: the decoder must work for any t; this one reshapes to a fixed 4 * SAMPLES_PER_TOKEN samples, so only 4-token inputs work."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = (
    "test_audio_decoder_returns_frames_times_hop_samples",
    "test_text_to_audio_returns_waveforms_in_range",
)


def build_audio_decoder(dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    features = keras.Input(shape=(None, dim))  # noqa: F821
    x = layers.Dense(128, activation="relu")(features)  # noqa: F821
    frames = layers.Dense(SAMPLES_PER_TOKEN, activation="tanh")(x)  # noqa: F821
    return keras.Model(features, layers.Reshape((4 * SAMPLES_PER_TOKEN,))(frames), name="audio_decoder")  # noqa: F821
