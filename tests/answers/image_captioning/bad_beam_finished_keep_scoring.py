"""Bug: finished captions stay in the beam ranked by the sum of their own token log-probabilities; this answer keeps feeding finished captions to the model and adds log p(<pad>) to their score at every later step, penalising early endings."""

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
            if all(b[2] for b in beam):
                break
            prefixes = tf.constant([b[1] for b in beam], tf.int32)
            image = tf.repeat(images[row : row + 1], len(beam), axis=0)
            log_probs = _log_softmax(np.asarray(captioner([image, prefixes], training=False), np.float64)[:, -1])
            candidates = []
            for (score, prefix, finished), scores in zip(beam, log_probs):
                if finished:  # a finished caption can only continue with <pad>
                    candidates.append((score + float(scores[PAD]), prefix + [PAD], True))
                    continue
                for token in np.argsort(-scores, kind="stable")[:beam_width]:
                    candidates.append((score + float(scores[token]), prefix + [int(token)], int(token) == END))
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
        best = beam[0][1][1:]
        out[row, : len(best)] = best
    return out
