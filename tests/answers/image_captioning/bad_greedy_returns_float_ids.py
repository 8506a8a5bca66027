"""Bug: the output buffer is made with np.zeros((batch, max_len)), whose default dtype is float64,
so greedy decoding returns token ids as floats."""

import numpy as np
import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_matches_the_contract_on_a_scripted_captioner",)


def greedy_decode(captioner, images, max_len=MAX_LEN - 1):  # noqa: F821
    images = tf.convert_to_tensor(images, tf.float32)
    out = np.zeros((int(images.shape[0]), max_len))
    tokens = np.full((len(out), 1), START, dtype=np.int32)  # noqa: F821
    done = np.zeros(len(out), dtype=bool)
    for i in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)  # noqa: F821
        out[:, i] = step
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done |= step == END  # noqa: F821
    return out
