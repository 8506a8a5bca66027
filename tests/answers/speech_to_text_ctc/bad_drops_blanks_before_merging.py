"""Bug: greedy decoding removes blanks first and merges repeats afterwards, so a word said twice
(5 _ 5) comes out once."""

import itertools

import numpy as np

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_greedy_decode_merges_repeats_then_drops_blanks",)


def greedy_decode(logits, logit_lengths=None):
    best = np.asarray(logits).argmax(axis=-1)
    lengths = [best.shape[1]] * len(best) if logit_lengths is None else np.asarray(logit_lengths).tolist()
    out = []
    for row, length in zip(best, lengths):
        kept = [int(k) for k in row[:length] if k != BLANK]  # noqa: F821
        out.append([k for k, _ in itertools.groupby(kept)])
    return out
