"""Bug: greedy_decode must go on until every caption has said <end> or max_len tokens; this answer stops the whole batch as soon as one caption says <end>, truncating the others."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_matches_the_contract_on_a_scripted_captioner",)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done |= step == END
        if done.any():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out
