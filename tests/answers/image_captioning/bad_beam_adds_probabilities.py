"""Bug: beam search scores a prefix by the sum of its token probabilities instead of their logs. Every
extra token adds a positive amount, so longer captions win: 5 7 <end> (0.55 + 0.34 + 1) beats the
more likely 6 <end> (0.45 + 1)."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_beam_search_finds_a_more_likely_caption_than_greedy",)


def beam_search(captioner, images, beam_width=3, max_len=MAX_LEN - 1):  # noqa: F821
    images = tf.convert_to_tensor(images, tf.float32)
    out = np.full((int(images.shape[0]), max_len), PAD, dtype=np.int32)  # noqa: F821
    for row in range(len(out)):
        beam = [(0.0, [START], False)]  # noqa: F821
        for _ in range(max_len):
            open_beams = [b for b in beam if not b[2]]
            if not open_beams:
                break
            image = tf.repeat(images[row : row + 1], len(open_beams), axis=0)
            logits = np.asarray(captioner([image, tf.constant([b[1] for b in open_beams])], training=False))[:, -1]
            probs = np.asarray(tf.nn.softmax(logits, axis=-1))
            candidates = [b for b in beam if b[2]]
            for (score, prefix, _), p in zip(open_beams, probs):
                for token in np.argsort(-p, kind="stable")[:beam_width]:
                    candidates.append((score + float(p[token]), prefix + [int(token)], int(token) == END))  # noqa: F821
            beam = sorted(candidates, key=lambda b: -b[0])[:beam_width]
        best = beam[0][1][1:]
        out[row, : len(best)] = best
    return out
