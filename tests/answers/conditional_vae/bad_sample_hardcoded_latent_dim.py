"""Bug: sample must work for any decoder built by build_decoder(vocab_size, latent_dim); this answer draws z with the module constant LATENT_DIM instead of the decoder latent size, so it breaks for latent_dim != 8."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_sample_decodes_one_standard_normal_z_per_caption",)


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    captions = tf.convert_to_tensor(captions, tf.int32)  # noqa: F821
    z = np.random.default_rng(seed).standard_normal((int(captions.shape[0]), LATENT_DIM)).astype(np.float32)  # noqa: F821
    return np.asarray(decoder([tf.constant(z), captions], training=False))  # noqa: F821

