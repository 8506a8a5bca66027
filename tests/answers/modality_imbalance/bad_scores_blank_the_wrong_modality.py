"""Bug: the mask in modality_scores is inverted (j != k): each modality's score is computed from the OTHER modality's
features, so the two scores come out swapped."""

import numpy as np
from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_modality_scores_use_one_modality_at_a_time",)


def modality_scores(encoders, head, inputs, labels):
    features = [encoders[m](inputs[m], training=False) for m in MODALITIES]  # noqa: F821
    labels = np.asarray(labels)
    scores = {}
    for k, name in enumerate(MODALITIES):  # noqa: F821
        kept = [f if j != k else ops.zeros_like(f) for j, f in enumerate(features)]
        probs = np.asarray(ops.softmax(head(ops.concatenate(kept, axis=-1), training=False), axis=-1))
        scores[name] = float(probs[np.arange(len(labels)), labels].mean())
    return scores
