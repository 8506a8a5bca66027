"""Bug: the std is start * max(0, 1 - step / decay_steps); this answer drops the max, so past decay_steps the std goes negative."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_noise_strength_follows_its_schedule",)


def instance_noise_std(step: int, start: float, decay_steps: int) -> float:
    """start * (1 - step / decay_steps)."""
    return float(start) * (1.0 - float(step) / float(decay_steps))
