"""Assertion helpers for the checks: each failure says what was called, what was expected
and what came back, e.g. ``generator([z, captions]) returned shape (8, 26, 26, 1); expected (8, 28, 28, 1)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

import numpy as np


def fmt(value) -> str:
    """A short, readable rendering of a number or small array."""
    array = np.asarray(value)
    if array.ndim == 0:
        return f"{float(array):.6g}" if np.issubdtype(array.dtype, np.number) else repr(value)
    with np.printoptions(precision=4, threshold=8, edgeitems=3, suppress=True):
        return np.array2string(array, separator=", ")


def as_array(value, call: str) -> np.ndarray:
    """Convert a returned tensor, variable or array to numpy; fail clearly on None or non-numbers."""
    if value is None:
        raise AssertionError(f"{call} returned None; expected a tensor (did you forget `return`?)")
    try:
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
    except Exception as exc:  # noqa: BLE001 - any conversion failure is the learner's return value
        raise AssertionError(f"{call} returned {type(value).__name__}, which is not a tensor: {exc}") from None
    if not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise AssertionError(f"{call} returned {type(value).__name__} of {array.dtype}; expected numbers")
    return array


def expect_tensor(value, call: str) -> np.ndarray:
    """The value must be a tensor (TensorFlow or Keras), not a numpy array, so gradients can flow."""
    if value is None or isinstance(value, (np.ndarray, np.generic, float, int, list, tuple)):
        raise AssertionError(
            f"{call} returned {type(value).__name__}; expected a tensor built with keras.ops or tf "
            "(numpy values cut the gradient)"
        )
    return as_array(value, call)


def expect_shape(value, shape: tuple, call: str) -> np.ndarray:
    """Check the shape; ``None`` in ``shape`` matches any size."""
    array = as_array(value, call)
    ok = array.ndim == len(shape) and all(e is None or e == g for e, g in zip(shape, array.shape))
    if not ok:
        wanted = tuple("any" if e is None else e for e in shape)
        raise AssertionError(f"{call} returned shape {tuple(array.shape)}; expected {wanted}".replace("'any'", "any"))
    return array


def expect_float(value, call: str) -> np.ndarray:
    """Check for a floating dtype."""
    array = as_array(value, call)
    if not np.issubdtype(array.dtype, np.floating):
        raise AssertionError(f"{call} returned dtype {array.dtype}; expected a float dtype")
    return array


def expect_finite(value, call: str) -> np.ndarray:
    """Check that no element is NaN or infinite."""
    array = as_array(value, call)
    bad = ~np.isfinite(array)
    if bad.any():
        raise AssertionError(f"{call} returned {int(bad.sum())} NaN or infinite value(s) of {array.size}: {fmt(array)}")
    return array


def expect_in_range(value, low: float, high: float, call: str) -> np.ndarray:
    """Check every element lies in [low, high] (and is finite)."""
    array = expect_finite(value, call)
    if array.min() < low or array.max() > high:
        raise AssertionError(
            f"{call} returned values in [{array.min():.4g}, {array.max():.4g}]; expected all in [{low}, {high}]"
        )
    return array


def expect_close(value, expected, call: str, why: str = "", atol: float = 1e-4, rtol: float = 1e-4) -> np.ndarray:
    """Check a value against a hand-computed one; ``why`` says where the expectation comes from."""
    array = as_array(value, call)
    expected = np.asarray(expected, dtype=np.float64)
    if array.shape != expected.shape and array.size == expected.size == 1:
        array = array.reshape(expected.shape)
    if array.shape != expected.shape or not np.allclose(array, expected, atol=atol, rtol=rtol):
        reason = f" ({why})" if why else ""
        raise AssertionError(f"{call} returned {fmt(array)}; expected {fmt(expected)}{reason}")
    return array


def snapshot(variables) -> list[np.ndarray]:
    """Copies of the current values of ``variables``."""
    return [np.array(v.numpy() if hasattr(v, "numpy") else v, copy=True) for v in variables]


def changed(before: list[np.ndarray], variables) -> list[bool]:
    """For each variable, whether it differs from its value in ``before`` (bit for bit)."""
    return [not np.array_equal(b, a) for b, a in zip(before, snapshot(variables))]


def restore(variables, values: list[np.ndarray]) -> None:
    """Assign saved values back to ``variables`` (undo side effects of a check's own forward passes)."""
    for variable, value in zip(variables, values):
        variable.assign(value)


def compiled(step, ready: bool = False):
    """Run ``step`` compiled when it can be traced, else as written (slower, same result).

    Learning checks call a learner's training step many times; compiling it keeps them fast
    for every answer that is graph-compatible, without demanding that it be. A tf.function that
    creates variables (the optimizer's slots) is traced twice, and one trace of a recurrent
    model's step costs a few seconds, as much as a couple of hundred compiled steps; so unless
    ``ready`` (every variable the step needs exists: see :func:`ready_to_compile`) the first call
    runs as written and creates them. Later calls (or all, when ``ready``) try, in turn: a
    tf.function without AutoGraph (quicker to trace; a step whose Python control flow depends on
    tensors fails to trace without it, and the next way takes over), one with AutoGraph, and
    the step as written.
    """
    import tensorflow as tf

    graphs = [tf.function(step, autograph=False), tf.function(step)]
    first = not ready

    def call(*args, **kwargs):
        nonlocal first
        while graphs and not first:
            try:
                return graphs[0](*args, **kwargs)
            except Exception:  # noqa: BLE001 - this way cannot run the step: try the next one
                graphs.pop(0)
        first = False
        return step(*args, **kwargs)

    return call


def ready_to_compile(optimizer, *models) -> bool:
    """Create ``optimizer``'s slots now for the trainable variables of ``models`` when all of them
    are built, so that a compiled step that updates those variables creates none; whether it did.

    A model whose variables do not exist yet (one built on its first call) leaves everything as
    it was: the step's first call then runs as written (see :func:`compiled`).
    """
    variables = [v for model in models for v in model.trainable_variables]
    if not variables or not all(model.built for model in models):
        return False
    optimizer.build(variables)
    return True


def expect_scalar(value, call: str) -> float:
    """A finite single number (shape () or one element), as a float."""
    array = expect_finite(value, call)
    if array.size != 1:
        raise AssertionError(f"{call} returned shape {array.shape}; expected a scalar loss")
    return float(array.reshape(()))


def expect_step_updated(loss, before: list[np.ndarray], after, call: str = "train_step(...)") -> float:
    """After one train_step call that returned ``loss``: the loss must be a finite scalar, and some
    trainable weight must differ between ``before`` (their values just before the call) and
    ``after`` (the variables, or their values just after the call)."""
    loss = expect_scalar(loss, call)
    if not any(changed(before, after)):
        raise AssertionError(f"{call} left every trainable weight unchanged; apply the gradients with the optimizer")
    return loss


def expect_losses_fell(losses: list[float], factor: float, what: str) -> None:
    """The last of ``losses`` (one per train_step call, in order) must be below ``factor`` times the first."""
    if not losses[-1] < factor * losses[0]:
        raise AssertionError(
            f"{len(losses)} train_step calls on {what} took the loss from {losses[0]:.4g} to {losses[-1]:.4g}; "
            f"expected below {factor:g} times the first"
        )


def losses_on_random_batches(step, arrays: tuple[np.ndarray, ...], steps: int, batch: int = 32,
                             learned=None, every: int = 50) -> list[float]:
    """Call ``step(*tensors)`` up to ``steps`` times, each time on ``batch`` rows drawn (seeded, with
    replacement) from the same rows of every array in ``arrays``; the loss of each call.

    ``learned`` (no arguments) is the learning check's own test of the model. Given, it is also
    asked after every ``every`` calls (but not after the last: the check asks then), and the run
    stops at the first checkpoint where it holds, so that the check passes on the model as it is
    there. A ``learned`` that raises counts as not yet; the check reports the error after the run.
    """
    import tensorflow as tf

    rng = np.random.default_rng(0)
    losses = []
    for number in range(1, steps + 1):
        rows = rng.integers(0, len(arrays[0]), batch)
        losses.append(expect_scalar(step(*(tf.constant(array[rows]) for array in arrays)), "train_step(...)"))
        if learned is not None and number % every == 0 and number < steps and _holds(learned):
            break
    return losses


def _holds(condition) -> bool:
    """``condition()``, with an exception counting as false."""
    try:
        return bool(condition())
    except Exception:  # noqa: BLE001 - the learning check that reads the run reports it
        return False


def seed_everything(seed: int = 0) -> None:
    """Fix Python's, NumPy's and the backend's random state (before each check, and before shared training)."""
    import keras

    keras.utils.set_random_seed(seed)


def once_per_answer(run):
    """Cache ``run(answer)`` per answer file, so that several checks can read one training run.

    The run starts from ``seed_everything()``, so its result does not depend on which check asks
    first. A run that raises is not cached: each check that asks reports the failure itself.
    """
    results: dict[Path, object] = {}

    @functools.wraps(run)
    def cached(answer, *trusted):
        """``run(answer, *trusted)``, once per answer file (``trusted``: the reference, say, the same for every answer)."""
        if answer.path not in results:
            seed_everything()
            results[answer.path] = run(answer, *trusted)
        return results[answer.path]

    return cached


def all_variables(*models) -> list:
    """Every variable of ``models``: weights, BatchNorm statistics and the seed states of random layers."""
    return [variable for model in models for variable in model.variables]


def rewind(*models, reseed: bool = True) -> Callable[[], None]:
    """Remember ``models``' every variable now; the returned function puts them back and reseeds.

    Between two rewinds a model replays exactly: Dropout draws the same masks (its seed state
    is a variable) and BatchNorm starts from the same statistics, so a check can compute the
    contract's loss, rewind, and let the answer's step see the very same forward pass. With
    ``reseed=False`` it only puts the variables back: enough for the checks' own Keras models,
    whose randomness lives in their variables, and cheaper, since a reseed clears TensorFlow's
    cache of kernels and every later operation of the check sets itself up again. (An answer's
    model may draw from TensorFlow's global seed: rewind it with the reseed.)
    """
    variables = all_variables(*models)
    saved = snapshot(variables)

    def back() -> None:
        restore(variables, saved)
        if reseed:
            seed_everything()

    return back


def fresh_per_answer(build):
    """Decorate ``build(answer)``, which makes a model (or a tuple of models), so that it runs once per
    answer file (see :func:`once_per_answer`) and every call returns its models rewound to their state
    when built: the checks that only call them share one build, and each starts as from a fresh one."""

    @once_per_answer
    def built(answer):
        models = build(answer)
        return models, rewind(*(models if isinstance(models, tuple) else (models,)))

    @functools.wraps(build)
    def fresh(answer):
        models, back = built(answer)
        back()
        return models

    return fresh


def contract_gradients(loss, variables) -> tuple[float, list[np.ndarray]]:
    """The value of ``loss()`` (the contract's loss, computed by the check) and its gradient with
    respect to each of ``variables`` (zeros where it does not depend on one)."""
    import tensorflow as tf

    with tf.GradientTape() as tape:
        value = loss()
    grads = tape.gradient(value, variables, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return float(value), [np.asarray(tf.convert_to_tensor(grad)) for grad in grads]


ROUNDING = 1e-5  # two sound float32 computations of a loss differ by about 1e-7 of its largest gradient entry


def expect_sgd_update(variables, before: list[np.ndarray], gradients: list[np.ndarray], learning_rate: float,
                      call: str, loss: str) -> None:
    """After one step with ``keras.optimizers.SGD(learning_rate)``, each of ``variables`` must have
    moved from ``before`` by exactly ``-learning_rate`` times its gradient of the contract's
    ``loss`` (``gradients``): a variable the step skips, one it moves twice or by another loss's
    gradient, and one it moves though the loss does not depend on it, each fail with its name.

    Differences below ROUNDING times the largest step of any variable are rounding, not bugs: the
    bias of a layer that BatchNorm follows has a true gradient of 0, and an attention kernel at
    initialisation a gradient a thousand times smaller than the rest, so for them two sound
    implementations of the loss may disagree by more than their own gradient.
    """
    wanted_steps = [-learning_rate * np.asarray(grad, np.float64) for grad in gradients]
    rounding = ROUNDING * max(float(np.abs(step).max(initial=0.0)) for step in wanted_steps) if wanted_steps else 0.0
    for variable, old, wanted, grad in zip(variables, before, wanted_steps, gradients):
        moved = np.asarray(variable.numpy(), np.float64) - old
        scale = max(float(np.abs(wanted).max(initial=0.0)), float(np.abs(moved).max(initial=0.0)))
        if np.allclose(moved, wanted, rtol=1e-2, atol=max(2e-3 * scale, rounding)):
            continue
        name = getattr(variable, "path", None) or variable.name
        if not moved.any():
            raise AssertionError(f"{call} left `{name}` unchanged, but {loss} depends on it (gradient norm {_norm(grad):.3g})")
        if np.abs(wanted).max(initial=0.0) <= rounding:
            raise AssertionError(f"{call} changed `{name}` (by a step of norm {_norm(moved):.3g}), but {loss} does not depend on it")
        raise AssertionError(
            f"{call} with SGD(learning_rate={learning_rate:g}) moved `{name}` by a step of norm {_norm(moved):.3g}; "
            f"expected -learning_rate × the gradient of {loss}, of norm {_norm(wanted):.3g} "
            f"(the two differ by {_norm(moved - wanted):.3g}; one update, of that loss)"
        )


def expect_one_update(optimizer, call: str) -> None:
    """``optimizer`` must have applied exactly one update (its ``iterations`` counter is 1)."""
    if int(optimizer.iterations) != 1:
        raise AssertionError(f"{call} made the optimizer take {int(optimizer.iterations)} steps; expected exactly 1")


def _norm(array) -> float:
    """Euclidean norm of an array (for messages about whole weight tensors)."""
    return float(np.linalg.norm(np.asarray(array, np.float64)))
