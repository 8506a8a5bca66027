"""Bug: diagnose averages the last window accuracies; this answer slices [-window + 1:], averaging only window - 1 of them (and all of them for window = 1)."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_diagnose_reads_recent_accuracies", "test_diagnose_matches_the_contract_on_random_histories")


def diagnose(d_accuracies, window: int = WINDOW) -> str:  # noqa: F821
    """Off-by-one window."""
    recent = np.asarray(d_accuracies, np.float64)[-window + 1:]  # noqa: F821
    level = float(recent.mean())
    if level >= OVERPOWERING:  # noqa: F821
        return "overpowering"
    if level <= COLLAPSED:  # noqa: F821
        return "collapsing"
    return "balanced"
