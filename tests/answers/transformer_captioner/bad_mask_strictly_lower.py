"""Bug: causal_mask leaves out the diagonal (np.tril with k=-1), so a position may not attend to itself and position 0 may attend to nothing."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_causal_mask_lets_each_position_see_itself_and_the_past",)


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    return np.tril(np.ones((length, length), dtype=bool), k=-1)
