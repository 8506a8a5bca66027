"""Bug: beam_search allows up to max_len generated tokens; this answer counts <start> against the cap (it runs max_len - 1 expansion steps), so captions are cut to max_len - 1 tokens."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_beam_search_matches_the_contract_on_a_scripted_captioner",
    "test_beam_search_with_width_one_is_greedy",
)


def beam_search(captioner, images, beam_width: int = 3, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    out = np.full((int(images.shape[0]), max_len), PAD, dtype=np.int32)
    for row in range(out.shape[0]):
        beam = [(0.0, [START], False)]
        for _ in range(max_len - 1):
            open_beams = [b for b in beam if not b[2]]
            if not open_beams:
                break
            prefixes = tf.constant([b[1] for b in open_beams], tf.int32)
            image = tf.repeat(images[row : row + 1], len(open_beams), axis=0)
            log_probs = _log_softmax(np.asarray(captioner([image, prefixes], training=False), np.float64)[:, -1])
            candidates = [b for b in beam if b[2]]
            for (score, prefix, _), scores in zip(open_beams, log_probs):
                for token in np.argsort(-scores, kind="stable")[:beam_width]:
                    candidates.append((score + float(scores[token]), prefix + [int(token)], int(token) == END))
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
        best = beam[0][1][1:]
        out[row, : len(best)] = best
    return out
