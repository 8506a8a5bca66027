"""Bug: the penalty is evaluated at x = interpolate(real, fake); this answer evaluates it at the real images only."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_gradient_penalty_is_taken_at_the_interpolates",)


def gradient_penalty(discriminator, real, fake):
    """Batch mean of (||grad D(real)|| - 1)^2 (fake ignored)."""
    points = tf.convert_to_tensor(real, tf.float32)  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        tape.watch(points)
        scores = discriminator(points, training=True)
    grads = tape.gradient(scores, points)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)  # noqa: F821
    return tf.reduce_mean(tf.square(norms - 1.0))  # noqa: F821
