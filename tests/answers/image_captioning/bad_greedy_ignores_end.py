"""Bug: greedy decoding always runs to max_len, so whatever the model says after <end> is returned too."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_stops_at_end",)


def greedy_decode(captioner, images, max_len=5):
    images = tf.convert_to_tensor(images, tf.float32)
    tokens = np.full((int(images.shape[0]), 1), 1, dtype=np.int32)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        tokens = np.concatenate([tokens, logits[:, -1].argmax(-1)[:, None].astype(np.int32)], axis=1)
    return tokens[:, 1:]
