"""Bug: diagnose compares np.mean of the window with the thresholds exactly, so float rounding moves histories off
them: np.mean([0.95] * 20) is 0.9499999999999998 and np.mean([0.55] * 20) 0.5500000000000002, both "balanced",
where a mean within 1e-9 of a threshold reaches it."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_diagnose_counts_a_mean_at_a_threshold_as_reaching_it",)


def diagnose(d_accuracies, window=WINDOW):  # noqa: F821
    level = float(np.mean(np.asarray(d_accuracies, np.float64)[-window:]))
    if level >= OVERPOWERING:  # noqa: F821
        return "overpowering"
    if level <= COLLAPSED:  # noqa: F821
        return "collapsing"
    return "balanced"
