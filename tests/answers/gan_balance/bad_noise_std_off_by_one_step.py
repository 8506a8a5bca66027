"""Bug: the std is start * max(0, 1 - step / decay_steps), equal to start at step 0; this answer uses (step + 1), so the decay starts one step early."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_noise_strength_follows_its_schedule",)


def instance_noise_std(step: int, start: float, decay_steps: int) -> float:
    """start * max(0, 1 - (step + 1) / decay_steps)."""
    return float(start) * max(0.0, 1.0 - float(step + 1) / float(decay_steps))
