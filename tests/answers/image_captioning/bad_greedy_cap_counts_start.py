"""Bug: the length cap counts <start> as one of the max_len tokens, so a caption that never says <end>
is cut one word short (and ends in PAD)."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_respects_the_length_cap",)


def greedy_decode(captioner, images, max_len=MAX_LEN - 1):  # noqa: F821
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)  # noqa: F821
    done = np.zeros(batch, dtype=bool)
    while tokens.shape[1] < max_len and not done.all():
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)  # noqa: F821
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done |= step == END  # noqa: F821
    out = np.full((batch, max_len), PAD, dtype=np.int32)  # noqa: F821
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out
