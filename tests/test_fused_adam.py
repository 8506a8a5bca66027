"""The checks' Adams update variables as Keras's Adam does, each in one fused operation per variable."""

import keras
import numpy as np
import tensorflow as tf

from mmgen.fused_adam import FusedAdam, LoopAdam

STEPS = 3


def variables_and_gradients() -> tuple[list[np.ndarray], list[list[np.ndarray]]]:
    """Two seeded starting values, and a gradient for each of them at each of STEPS updates."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal((3, 4)).astype(np.float32), rng.standard_normal(5).astype(np.float32)]
    return start, [[rng.standard_normal(v.shape).astype(np.float32) for v in start] for _ in range(STEPS)]


def keras_adam_result(learning_rate: float) -> list[np.ndarray]:
    """The variables after STEPS updates of ``keras.optimizers.Adam(learning_rate)``."""
    start, gradients = variables_and_gradients()
    variables = [tf.Variable(v) for v in start]
    optimizer = keras.optimizers.Adam(learning_rate)
    for step in gradients:
        optimizer.apply_gradients(zip(map(tf.constant, step), variables))
    return [v.numpy() for v in variables]


def test_fused_adam_updates_as_keras_adam_does_in_a_traced_step():
    start, gradients = variables_and_gradients()
    variables, optimizer = [tf.Variable(v) for v in start], FusedAdam(0.01)
    optimizer.build(variables)
    step = tf.function(lambda grads: optimizer.apply_gradients(zip(grads, variables)))
    for grads in gradients:
        step([tf.constant(g) for g in grads])
    for got, want in zip(variables, keras_adam_result(0.01)):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)
    assert int(optimizer.iterations) == STEPS


def test_loop_adam_updates_as_keras_adam_does_for_dense_gradients():
    start, gradients = variables_and_gradients()
    variables = [tf.Variable(v) for v in start]
    optimizer = LoopAdam(0.01, variables)
    for grads in gradients:
        optimizer.apply([tf.constant(g) for g in grads])
    for got, want in zip(variables, keras_adam_result(0.01)):
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-6)


def test_loop_adam_leaves_a_variable_the_loss_does_not_reach_as_it_was():
    start, gradients = variables_and_gradients()
    variables = [tf.Variable(v) for v in start]
    LoopAdam(0.01, variables).apply([tf.constant(gradients[0][0]), None])
    assert np.array_equal(variables[1].numpy(), start[1])
    assert not np.array_equal(variables[0].numpy(), start[0])
