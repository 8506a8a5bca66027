"""Bug: after its first <end> a row must be PAD to the end; this answer recomputes done = (step == END) each step instead of accumulating it, so after one PAD the row starts generating words again."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_matches_the_contract_on_a_scripted_captioner",)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    ever_done = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done = step == END
        ever_done |= done
        if ever_done.all():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out
