"""Bug: modality_scores must put zeros in place of the other modality's features; this answer zeroes the other modality's inputs and runs them through its encoder, so the head sees that encoder's (nonzero, bias-driven) features of a blank input."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modality_scores_use_one_modality_at_a_time",)


def modality_scores(encoders, head, inputs, labels):
    labels = np.asarray(labels)  # noqa: F821
    scores = {}
    for name in MODALITIES:  # noqa: F821
        blanked = {m: (inputs[m] if m == name else ops.zeros_like(inputs[m])) for m in MODALITIES}  # noqa: F821
        features = _features(encoders, blanked, False)  # noqa: F821
        probs = np.asarray(ops.softmax(head(ops.concatenate(features, axis=-1), training=False), axis=-1))  # noqa: F821
        scores[name] = float(probs[np.arange(len(labels)), labels].mean())  # noqa: F821
    return scores
