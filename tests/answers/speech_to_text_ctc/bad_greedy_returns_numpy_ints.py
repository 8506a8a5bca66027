"""Bug: greedy_decode returns lists of Python int; this one returns lists of numpy int64."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_greedy_decode_returns_lists_of_python_ints',)


def greedy_decode(logits, logit_lengths=None):
    best = np.asarray(logits).argmax(axis=-1)  # noqa: F821
    lengths = [best.shape[1]] * len(best) if logit_lengths is None else np.asarray(logit_lengths).tolist()  # noqa: F821
    out = []
    for row, length in zip(best, lengths):
        merged = [k for k, _ in itertools.groupby(row[:length])]  # noqa: F821
        out.append([k for k in merged if k != BLANK])  # noqa: F821
    return out
