"""Bug: diagnose averages the whole history, so an old phase hides what D is doing now."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_diagnose_reads_recent_accuracies", "test_diagnose_matches_the_contract_on_random_histories")


def diagnose(d_accuracies, window=20):
    level = float(np.mean(d_accuracies))
    if level >= 0.95:
        return "overpowering"
    if level <= 0.55:
        return "collapsing"
    return "balanced"
