"""Bug: beam_search returns the caption with the highest summed log-probability among the final beam; this answer returns the first caption that reaches <end>, even when a later-finishing one scores higher."""

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
        result = None
        for _ in range(max_len):
            prefixes = tf.constant([b[1] for b in beam], tf.int32)
            image = tf.repeat(images[row : row + 1], len(beam), axis=0)
            log_probs = _log_softmax(np.asarray(captioner([image, prefixes], training=False), np.float64)[:, -1])
            candidates = []
            for (score, prefix, _), scores in zip(beam, log_probs):
                for token in np.argsort(-scores, kind="stable")[:beam_width]:
                    candidates.append((score + float(scores[token]), prefix + [int(token)], int(token) == END))
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
            finished = [b for b in beam if b[2]]
            if finished:
                result = finished[0]
                break
        best = (result or beam[0])[1][1:]
        out[row, : len(best)] = best
    return out
