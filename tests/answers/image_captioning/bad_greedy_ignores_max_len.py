"""Bug: greedy_decode(max_len) must return (batch, max_len) and allow up to max_len tokens; this answer always decodes at most MAX_LEN - 1 steps, so a longer max_len gets fewer tokens than it allows and a shorter one is simply truncated after the fact."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_matches_the_contract_on_a_scripted_captioner",)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = tf.convert_to_tensor(images, tf.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    while tokens.shape[1] < MAX_LEN and not done.all():
        logits = np.asarray(captioner([images, tf.constant(tokens)], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done |= step == END
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    generated = tokens[:, 1 : max_len + 1]
    out[:, : generated.shape[1]] = generated
    return out
