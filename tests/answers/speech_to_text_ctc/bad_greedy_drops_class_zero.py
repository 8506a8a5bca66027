"""Bug: greedy_decode drops only blanks (class BLANK); this one also drops class 0 (PAD), as if 0 were a blank too."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_greedy_decode_matches_the_reference_on_scripted_logits',)


def greedy_decode(logits, logit_lengths=None):
    best = np.asarray(logits).argmax(axis=-1)  # noqa: F821
    lengths = [best.shape[1]] * len(best) if logit_lengths is None else np.asarray(logit_lengths).tolist()  # noqa: F821
    out = []
    for row, length in zip(best, lengths):
        merged = [int(k) for k, _ in itertools.groupby(row[:length].tolist())]  # noqa: F821
        out.append([k for k in merged if k not in (BLANK, PAD)])  # noqa: F821
    return out
