"""Bug: build_model gives one score vector per input frame; its convolutions use padding="valid", so each drops 4 frames."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_model_returns_logits_for_every_frame',)


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:  # noqa: F821
    features = keras.Input(shape=(None, NUM_BINS))  # noqa: F821
    x = layers.LayerNormalization()(features)  # noqa: F821
    x = layers.Conv1D(64, 5, padding="valid", activation="relu")(x)  # noqa: F821
    x = layers.Conv1D(64, 5, padding="valid", activation="relu")(x)  # noqa: F821
    return keras.Model(features, layers.Dense(num_classes)(x), name="ctc_recogniser")  # noqa: F821
