"""Bug: beam scores are sums of token log-probabilities from the logits at the last position; this answer applies log-softmax to the whole (beams, t, vocab) logits over the time axis and then reads the last position, so its 'log-probabilities' are normalised over positions, not over the vocabulary."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_beam_search_finds_a_more_likely_caption_than_greedy",
    "test_beam_search_matches_the_contract_on_a_scripted_captioner",
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
            logits = np.asarray(captioner([image, prefixes], training=False), np.float64)
            log_probs = np.asarray(tf.nn.log_softmax(logits, axis=1))[:, -1]
            candidates = [b for b in beam if b[2]]
            for (score, prefix, _), scores in zip(open_beams, log_probs):
                for token in np.argsort(-scores, kind="stable")[:beam_width]:
                    candidates.append((score + float(scores[token]), prefix + [int(token)], int(token) == END))
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
        best = beam[0][1][1:]
        out[row, : len(best)] = best
    return out
