"""Bug: greedy_decode rows must end with their first <end> and be PAD after it; this answer writes PAD in place of the <end> token itself, so no row contains END."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_matches_the_contract_on_a_scripted_captioner", "test_greedy_decode_stops_at_end")


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = logits[:, -1].argmax(-1).astype(np.int32)
        done |= step == END
        step = np.where(done, PAD, step).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        if done.all():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out
