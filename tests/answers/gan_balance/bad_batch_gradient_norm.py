"""Bug: the gradient norm is taken over the whole batch at once instead of per example."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_gradient_penalty_of_a_linear_critic", "test_gradient_penalty_matches_the_contract_at_fixed_points")


def gradient_penalty(discriminator, real, fake):
    points = interpolate(tf.convert_to_tensor(real, tf.float32), tf.convert_to_tensor(fake, tf.float32))  # noqa: F821
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = discriminator(points, training=True)
    return tf.square(tf.norm(tape.gradient(scores, points)) - 1.0)
