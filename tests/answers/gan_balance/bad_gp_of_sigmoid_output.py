"""Bug: the penalty uses d logit / d x; this answer differentiates the probability sigmoid(D(x)) instead of the logit."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_gradient_penalty_of_a_linear_critic", "test_gradient_penalty_matches_the_contract_at_fixed_points")


def gradient_penalty(discriminator, real, fake):
    """Batch mean of (||d sigmoid(D(x)) / dx|| - 1)^2."""
    points = interpolate(tf.convert_to_tensor(real, tf.float32), tf.convert_to_tensor(fake, tf.float32))  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        tape.watch(points)
        scores = tf.sigmoid(discriminator(points, training=True))  # noqa: F821
    grads = tape.gradient(scores, points)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)  # noqa: F821
    return tf.reduce_mean(tf.square(norms - 1.0))  # noqa: F821
