"""Bug: the predicted class is the argmin of the similarities, as if they were distances, instead of the argmax."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("generation_metrics", globals())
CAUGHT_BY = ("test_zero_shot_accuracy_counts_the_best_class_per_image",)


def zero_shot_accuracy(similarity, labels) -> float:
    predicted = np.argmin(np.asarray(similarity, dtype=np.float64), axis=1)
    return float(np.mean(predicted == np.asarray(labels)))
