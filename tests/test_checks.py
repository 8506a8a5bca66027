"""The training helpers the learning checks share: how ``compiled`` runs a step, when
``ready_to_compile`` prepares an optimizer, and when ``losses_on_random_batches`` stops early."""

import keras
import numpy as np
import tensorflow as tf

from mmgen.answers import Answer
from mmgen.checks import compiled, fresh_per_answer, losses_on_random_batches, ready_to_compile, rewind, seed_everything
from mmgen.paths import REPO


def eagerness_recorder():
    """A step that notes, for each call, whether it ran eagerly (as written) or inside a graph."""
    eager = []

    def step(x):
        eager.append(tf.executing_eagerly())
        return tf.reduce_sum(x)

    return step, eager


def test_compiled_runs_the_first_call_as_written_and_later_calls_in_a_graph():
    step, eager = eagerness_recorder()
    run = compiled(step)
    for _ in range(3):
        run(tf.ones(2))
    assert eager == [True, False]  # the third call reuses the graph traced by the second, without running Python


def test_compiled_runs_every_call_in_a_graph_when_ready():
    step, eager = eagerness_recorder()
    run = compiled(step, ready=True)
    for _ in range(3):
        run(tf.ones(2))
    assert eager == [False]


def test_compiled_runs_a_step_that_cannot_be_traced_as_written():
    calls = []

    def step(x):
        calls.append(tf.executing_eagerly())
        return float(x.numpy().sum())  # .numpy() exists only outside a graph

    run = compiled(step, ready=True)
    assert [run(tf.ones(2)) for _ in range(2)] == [2.0, 2.0]
    assert calls[-2:] == [True, True]


def test_ready_to_compile_builds_the_optimizer_for_built_models():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    optimizer = keras.optimizers.Adam()
    assert ready_to_compile(optimizer, model)
    assert optimizer.built


def test_ready_to_compile_leaves_the_optimizer_alone_while_a_model_has_no_variables():
    model = keras.Sequential([keras.layers.Dense(2)])  # built on its first call
    optimizer = keras.optimizers.Adam()
    assert not ready_to_compile(optimizer, model)
    assert not optimizer.built


def counting_step():
    """A step whose loss is the number of calls so far."""
    calls = []

    def step(x):
        calls.append(x.shape[0])
        return tf.constant(float(len(calls)))

    return step, calls


def test_losses_on_random_batches_stops_at_the_first_checkpoint_where_the_model_learned():
    step, calls = counting_step()
    asked = []

    def learned():
        asked.append(len(calls))
        return len(calls) >= 20

    losses = losses_on_random_batches(step, (np.zeros((8, 2), np.float32),), 50, batch=4, learned=learned, every=10)
    assert asked == [10, 20]
    assert losses == [float(n) for n in range(1, 21)]
    assert calls == [4] * 20


def test_losses_on_random_batches_counts_a_failing_learned_test_as_not_yet_and_skips_the_last_checkpoint():
    step, calls = counting_step()
    asked = []

    def learned():
        asked.append(len(calls))
        raise ValueError("the learner's decoder broke")

    losses = losses_on_random_batches(step, (np.zeros((8, 2), np.float32),), 30, batch=4, learned=learned, every=10)
    assert asked == [10, 20]
    assert len(losses) == 30


def test_fresh_per_answer_builds_once_per_answer_and_hands_the_models_back_as_built():
    builds = []

    @fresh_per_answer
    def dense(answer):
        builds.append(answer.path)
        return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])

    answer = Answer(REPO / "solutions" / "gan_losses.py")
    first = dense(answer)
    built = [np.array(v) for v in first.variables]
    first.variables[0].assign(np.zeros_like(built[0]))
    again = dense(answer)
    assert again is first and len(builds) == 1
    assert all(np.array_equal(np.array(v), b) for v, b in zip(again.variables, built))


def test_rewind_puts_the_variables_back_and_reseeds_unless_told_not_to():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    start = [v.numpy() for v in model.variables]
    for reseed in (True, False):
        back = rewind(model, reseed=reseed)
        model.variables[0].assign_add(tf.ones_like(model.variables[0]))
        seed_everything()
        first_draw = float(keras.random.uniform(()))
        back()
        assert all(np.array_equal(v.numpy(), s) for v, s in zip(model.variables, start))
        assert (float(keras.random.uniform(())) == first_draw) == reseed, "a reseed restarts the random stream"
