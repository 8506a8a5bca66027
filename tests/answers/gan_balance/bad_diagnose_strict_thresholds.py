"""Bug: mean >= OVERPOWERING is overpowering and mean <= COLLAPSED is collapsing; this answer uses strict > and <, so means exactly at a threshold are called balanced."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_diagnose_counts_a_mean_at_a_threshold_as_reaching_it",)


def diagnose(d_accuracies, window: int = WINDOW) -> str:  # noqa: F821
    """Strict-threshold diagnosis."""
    recent = np.asarray(d_accuracies, np.float64)[-window:]  # noqa: F821
    level = float(recent.mean())
    if level > OVERPOWERING:  # noqa: F821
        return "overpowering"
    if level < COLLAPSED:  # noqa: F821
        return "collapsing"
    return "balanced"
