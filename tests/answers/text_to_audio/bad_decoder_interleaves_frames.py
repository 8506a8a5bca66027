"""Bug: each token must become one contiguous frame of SAMPLES_PER_TOKEN samples; this decoder transposes before flattening, so token i writes samples i, i + t, i + 2t, ..."""

from reference_copy import start_from_reference

start_from_reference("text_to_audio", globals())
CAUGHT_BY = ("test_audio_decoder_makes_frame_i_from_token_i_alone",)


def build_audio_decoder(dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    features = keras.Input(shape=(None, dim))  # noqa: F821
    x = layers.Dense(128, activation="relu")(features)  # noqa: F821
    frames = layers.Dense(SAMPLES_PER_TOKEN, activation="tanh")(x)  # noqa: F821
    frames = layers.Permute((2, 1))(frames)  # noqa: F821
    return keras.Model(features, layers.Reshape((-1,))(frames), name="audio_decoder")  # noqa: F821
