"""Bug: token_accuracy averages over every position, so the PAD targets after <end> are counted too."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_token_accuracy_counts_only_non_pad_targets",)


def token_accuracy(targets, logits) -> float:
    """Fraction of non-PAD targets that the logits' argmax gets right."""
    targets = np.asarray(targets)
    return float(np.mean(np.argmax(np.asarray(logits), axis=-1) == targets))
