"""Bug: modality_scores must be the mean softmax probability of the true class; this answer returns the accuracy of the argmax prediction under the same blanking."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modality_scores_use_one_modality_at_a_time",)


def modality_scores(encoders, head, inputs, labels):
    features = _features(encoders, inputs, False)  # noqa: F821
    labels = np.asarray(labels)  # noqa: F821
    scores = {}
    for k, name in enumerate(MODALITIES):  # noqa: F821
        kept = [f if j == k else ops.zeros_like(f) for j, f in enumerate(features)]  # noqa: F821
        logits = np.asarray(head(ops.concatenate(kept, axis=-1), training=False))  # noqa: F821
        scores[name] = float((logits.argmax(-1) == labels).mean())
    return scores
