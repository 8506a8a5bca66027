"""Bug: greedy_decode returns the sequence from <start> on (cut to max_len) instead of only the generated tokens after it."""

import numpy as np
from keras import ops
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = (
    "test_greedy_decode_matches_the_contract_on_a_prefix_dependent_captioner",
    "test_greedy_decode_stops_at_end_and_pads_after_it",
)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:  # noqa: F821
    """Feed back the argmax from <start> until every caption has said <end> or max_len tokens."""
    images = ops.convert_to_tensor(images, "float32")
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)  # noqa: F821
    finished = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, ops.convert_to_tensor(tokens)], training=False))
        step = np.where(finished, PAD, np.argmax(logits[:, -1], axis=-1)).astype(np.int32)  # noqa: F821
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        finished |= step == END  # noqa: F821
        if finished.all():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)  # noqa: F821
    kept = min(tokens.shape[1], max_len)
    out[:, :kept] = tokens[:, :kept]
    return out
