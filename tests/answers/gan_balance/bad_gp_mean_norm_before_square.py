"""Bug: the penalty is the batch MEAN of (||grad|| - 1)^2; this answer averages the norms first and squares (mean ||grad|| - 1)^2."""

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = (
    "test_gradient_penalty_matches_the_contract_at_fixed_points",
    "test_discriminator_step_adds_the_weighted_gradient_penalty",
)


def gradient_penalty(discriminator, real, fake):
    """(mean_batch ||grad|| - 1)^2."""
    points = interpolate(tf.convert_to_tensor(real, tf.float32), tf.convert_to_tensor(fake, tf.float32))  # noqa: F821
    with tf.GradientTape() as tape:  # noqa: F821
        tape.watch(points)
        scores = discriminator(points, training=True)
    grads = tape.gradient(scores, points)
    norms = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) + 1e-12)  # noqa: F821
    return tf.square(tf.reduce_mean(norms) - 1.0)  # noqa: F821
