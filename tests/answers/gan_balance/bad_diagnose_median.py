"""Bug: diagnose uses the mean of the last window accuracies; this answer uses their median, which ignores a few extreme steps."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_diagnose_matches_the_contract_on_random_histories",)


def diagnose(d_accuracies, window: int = WINDOW) -> str:  # noqa: F821
    """Median of the recent accuracies."""
    recent = np.asarray(d_accuracies, np.float64)[-window:]  # noqa: F821
    level = float(np.median(recent))  # noqa: F821
    if level >= OVERPOWERING:  # noqa: F821
        return "overpowering"
    if level <= COLLAPSED:  # noqa: F821
        return "collapsing"
    return "balanced"
