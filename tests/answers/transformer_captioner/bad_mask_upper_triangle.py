"""Bug: causal_mask is the upper triangle (j >= i), i.e. the transpose of the right mask, so each position sees itself and the future instead of the past."""

import numpy as np
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_causal_mask_lets_each_position_see_itself_and_the_past",)


def causal_mask(length: int) -> np.ndarray:
    """mask[i, j] is True when position i may attend to position j <= i."""
    return np.triu(np.ones((length, length), dtype=bool))
