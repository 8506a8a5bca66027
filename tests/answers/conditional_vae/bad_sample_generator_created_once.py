"""Bug: sample must seed its generator with seed on every call (same seed, same images); this answer creates the generator on the first call only and reuses it, so a second call with the same seed gives different images."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_sample_is_seeded_and_in_range",)

_RNG = {}


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    captions = tf.convert_to_tensor(captions, tf.int32)  # noqa: F821
    latent_dim = decoder.inputs[0].shape[-1]
    rng = _RNG.setdefault("rng", np.random.default_rng(seed))  # noqa: F821
    z = rng.standard_normal((int(captions.shape[0]), latent_dim)).astype(np.float32)
    return np.asarray(decoder([tf.constant(z), captions], training=False))  # noqa: F821

