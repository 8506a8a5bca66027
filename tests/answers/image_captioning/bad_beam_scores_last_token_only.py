"""Bug: beam_search ranks prefixes by the sum of token log-probabilities; this answer scores each candidate by the log-probability of its newest token only (score = log p(token) instead of score + log p(token))."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_beam_search_matches_the_contract_on_a_scripted_captioner",
    "test_beam_search_returns_the_most_likely_caption_not_the_first_to_end",
)


def beam_search(captioner, images, beam_width: int = 3, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    out = np.full((int(images.shape[0]), max_len), PAD, dtype=np.int32)
    for row in range(out.shape[0]):
        beam = [(0.0, [START], False)]
        for _ in range(max_len):
            open_beams = [b for b in beam if not b[2]]
            if not open_beams:
                break
            prefixes = tf.constant([b[1] for b in open_beams], tf.int32)
            image = tf.repeat(images[row : row + 1], len(open_beams), axis=0)
            log_probs = _log_softmax(np.asarray(captioner([image, prefixes], training=False), np.float64)[:, -1])
            candidates = [b for b in beam if b[2]]
            for (score, prefix, _), scores in zip(open_beams, log_probs):
                for token in np.argsort(-scores, kind="stable")[:beam_width]:
                    candidates.append((float(scores[token]), prefix + [int(token)], int(token) == END))
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
        best = beam[0][1][1:]
        out[row, : len(best)] = best
    return out
