"""The helpers that compare an answer with the contract: differential checks of pure functions
(values and gradients against the reference) and the one-SGD-update check of training steps."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen.checks import contract_gradients, expect_sgd_update, rewind, snapshot
from mmgen.differential import Case, expect_matches_reference


def mean_square(x):
    return tf.reduce_mean(tf.square(x))


CASES = [Case(f"x of {n}", (np.linspace(-1.0, 1.0, n).astype(np.float32),), wrt=(0,)) for n in (1, 3, 50)]


def test_an_identical_function_matches():
    expect_matches_reference("mean_square", lambda x: tf.reduce_mean(x * x), mean_square, CASES)


def test_a_value_difference_names_the_smallest_case_that_shows_it():
    # a sum instead of a mean agrees on one element and first differs on three
    with pytest.raises(AssertionError, match=r"mean_square\(x of 3\) returned"):
        expect_matches_reference("mean_square", lambda x: tf.reduce_sum(tf.square(x)), mean_square, CASES)


def test_a_detached_term_fails_on_its_gradient():
    def detached(x):
        return tf.stop_gradient(tf.reduce_mean(tf.square(x)))

    with pytest.raises(AssertionError, match="gradient of mean_square.*missing"):
        expect_matches_reference("mean_square", detached, mean_square, CASES)


def test_a_wrong_gradient_with_the_right_value_fails():
    def wrong_slope(x):
        value = tf.reduce_mean(tf.square(x))
        return value + 0.5 * (tf.reduce_mean(x) - tf.stop_gradient(tf.reduce_mean(x)))

    with pytest.raises(AssertionError, match="gradient of mean_square"):
        expect_matches_reference("mean_square", wrong_slope, mean_square, CASES)


def test_a_different_shape_is_reported_as_such():
    with pytest.raises(AssertionError, match="returned shape"):
        expect_matches_reference("mean_square", lambda x: tf.square(x), mean_square, CASES)


def small_model(dropout: float = 0.0) -> keras.Model:
    inputs = keras.Input((3,))
    hidden = keras.layers.Dropout(dropout)(keras.layers.Dense(4, activation="tanh")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(hidden))
    model(tf.zeros((1, 3)))
    return model


def sgd_step(model, x, learning_rate: float, scale: float = 1.0, skip: int = 0):
    """A training step on mean(model(x)²): optionally scaling the loss or skipping the first ``skip`` variables."""
    optimizer = keras.optimizers.SGD(learning_rate)
    variables = model.trainable_variables[skip:]
    with tf.GradientTape() as tape:
        loss = scale * mean_square(model(x, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))


def run_sgd_check(scale: float = 1.0, skip: int = 0, dropout: float = 0.0) -> None:
    model, x = small_model(dropout), tf.constant(np.random.default_rng(0).normal(size=(8, 3)), tf.float32)
    back = rewind(model)
    before = snapshot(model.trainable_variables)
    _, gradients = contract_gradients(lambda: mean_square(model(x, training=True)), model.trainable_variables)
    back()
    sgd_step(model, x, 0.5, scale, skip)
    expect_sgd_update(model.trainable_variables, before, gradients, 0.5, "step", "mean(model(x)²)")


def test_one_update_of_the_contract_loss_passes_even_with_dropout():
    run_sgd_check(dropout=0.5)


def test_a_skipped_variable_is_named():
    with pytest.raises(AssertionError, match="left `.*kernel` unchanged"):
        run_sgd_check(skip=1)


def test_an_update_of_another_loss_is_caught():
    with pytest.raises(AssertionError, match="moved `.*` by a step of norm"):
        run_sgd_check(scale=2.0)
