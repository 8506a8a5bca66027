"""Bug: token_accuracy takes each caption's accuracy over its non-PAD targets and averages those per-row figures, so short and long captions weigh the same instead of every token counting once."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_token_accuracy_counts_only_non_pad_targets",)


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = np.asarray(targets)
    mask = targets != PAD  # noqa: F821
    hits = (np.argmax(np.asarray(logits), axis=-1) == targets) & mask
    return float(np.mean(hits.sum(axis=-1) / np.maximum(mask.sum(axis=-1), 1)))
