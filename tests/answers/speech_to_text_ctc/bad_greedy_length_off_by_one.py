"""Bug: greedy_decode reads each row up to its length; this one stops one frame early (row[:length - 1])."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_greedy_decode_stops_at_the_logit_length', 'test_greedy_decode_matches_the_reference_on_scripted_logits')


def greedy_decode(logits, logit_lengths=None):
    best = np.asarray(logits).argmax(axis=-1)  # noqa: F821
    lengths = [best.shape[1]] * len(best) if logit_lengths is None else np.asarray(logit_lengths).tolist()  # noqa: F821
    out = []
    for row, length in zip(best, lengths):
        merged = [int(k) for k, _ in itertools.groupby(row[: length - 1].tolist())]  # noqa: F821
        out.append([k for k in merged if k != BLANK])  # noqa: F821
    return out
