"""Bug: build_model(num_classes) outputs num_classes scores per frame; this one always outputs NUM_CLASSES."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_model_scores_num_classes_classes',)


def build_model(num_classes: int = NUM_CLASSES) -> keras.Model:  # noqa: F821
    features = keras.Input(shape=(None, NUM_BINS))  # noqa: F821
    x = layers.LayerNormalization()(features)  # noqa: F821
    x = layers.Conv1D(64, 5, padding="same", activation="relu")(x)  # noqa: F821
    x = layers.Conv1D(64, 5, padding="same", activation="relu")(x)  # noqa: F821
    return keras.Model(features, layers.Dense(NUM_CLASSES)(x), name="ctc_recogniser")  # noqa: F821
