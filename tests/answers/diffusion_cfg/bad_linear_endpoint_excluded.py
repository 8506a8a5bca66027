"""Bug: linear_betas uses np.linspace with endpoint=False, so the last beta stops one step short of end."""

import numpy as np
from keras import ops  # noqa: F401
from reference_copy import start_from_reference

start_from_reference("diffusion_cfg", globals())
CAUGHT_BY = ("test_linear_betas_run_evenly_from_start_to_end",)


def linear_betas(timesteps: int, start: float = 1e-4, end: float = 0.02) -> np.ndarray:
    """Betas rising linearly from start to end."""
    return np.linspace(start, end, timesteps, endpoint=False, dtype=np.float64)
