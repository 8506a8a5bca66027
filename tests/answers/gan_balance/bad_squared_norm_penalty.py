"""Bug: the penalty uses the squared gradient norm, (||g||^2 - 1)^2, instead of (||g|| - 1)^2."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("gan_balance", globals())
CAUGHT_BY = ("test_gradient_penalty_of_a_linear_critic", "test_gradient_penalty_matches_the_contract_at_fixed_points")


def gradient_penalty(discriminator, real, fake):
    points = interpolate(tf.convert_to_tensor(real, tf.float32), tf.convert_to_tensor(fake, tf.float32))  # noqa: F821
    with tf.GradientTape() as tape:
        tape.watch(points)
        scores = discriminator(points, training=True)
    grads = tape.gradient(scores, points)
    return tf.reduce_mean(tf.square(tf.reduce_sum(tf.square(grads), axis=[1, 2, 3]) - 1.0))
