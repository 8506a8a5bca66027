"""Bug: sample must draw z ~ N(0, I); this answer draws z uniformly from [-1, 1) with the seeded generator (reproducible, but not the prior the VAE was trained against)."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_sample_decodes_one_standard_normal_z_per_caption",)


def sample(decoder, captions, seed: int = 0) -> np.ndarray:
    captions = tf.convert_to_tensor(captions, tf.int32)  # noqa: F821
    latent_dim = decoder.inputs[0].shape[-1]
    z = np.random.default_rng(seed).uniform(-1.0, 1.0, (int(captions.shape[0]), latent_dim)).astype(np.float32)  # noqa: F821
    return np.asarray(decoder([tf.constant(z), captions], training=False))  # noqa: F821

