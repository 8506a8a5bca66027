"""Bug: the decoders must pass tensors, not NumPy arrays, to the Keras model; this answer calls captioner([images, tokens]) with the NumPy token array (and NumPy images)."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_greedy_decode_calls_the_captioner_with_tensors_and_training_false",)


def greedy_decode(captioner, images, max_len: int = MAX_LEN - 1) -> np.ndarray:
    images = np.asarray(images, np.float32)
    batch = int(images.shape[0])
    tokens = np.full((batch, 1), START, dtype=np.int32)
    done = np.zeros(batch, dtype=bool)
    for _ in range(max_len):
        logits = np.asarray(captioner([images, tokens], training=False))
        step = np.where(done, PAD, logits[:, -1].argmax(-1)).astype(np.int32)
        tokens = np.concatenate([tokens, step[:, None]], axis=1)
        done |= step == END
        if done.all():
            break
    out = np.full((batch, max_len), PAD, dtype=np.int32)
    out[:, : tokens.shape[1] - 1] = tokens[:, 1:]
    return out
