"""Bug: reconstruct must return an np.ndarray; this answer returns the decoder output tensor as is."""

from reference_copy import start_from_reference

start_from_reference("conditional_vae", globals())
CAUGHT_BY = ("test_reconstruct_decodes_the_posterior_mean",)


def reconstruct(encoder, decoder, images, captions):
    images, captions = tf.convert_to_tensor(images, tf.float32), tf.convert_to_tensor(captions, tf.int32)  # noqa: F821
    mu, _ = encoder([images, captions], training=False)
    return decoder([mu, captions], training=False)

