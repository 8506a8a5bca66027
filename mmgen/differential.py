"""Differential checks: an answer's pure function against the reference's on the same inputs.

Each check hands both functions the same seeded cases (random inputs of varied shapes and the
edge cases a contract names: zeros, ties, huge values, one-element batches, fully padded rows)
and compares what comes back, in values and in gradients with respect to every input the case
marks differentiable. Cases go from small to large, so the first one that differs, the one
reported, is the smallest input found that tells the two apart.

A gradient is compared through a fixed random projection of each output (the gradient of
``sum(w * output)``), which exposes a detached term, a stop_gradient, or a per-example where a
batch mean is stated, at the cost of one backward pass per output.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from mmgen.checks import as_array, fmt


@dataclass(frozen=True)
class Case:
    """One call: a label for messages, the positional inputs, keyword options, and the
    positions of the inputs to differentiate with respect to."""

    label: str
    args: tuple
    kwargs: Mapping = field(default_factory=dict)
    wrt: tuple[int, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """What a function returned for one case: named outputs and, per output, the gradients of its
    projection with respect to each differentiable input (None where none flows)."""

    outputs: dict[str, np.ndarray]
    gradients: dict[tuple[str, int], np.ndarray | None]


def _named_outputs(value, call: str) -> dict:
    """A function's result as ``{name: tensor}``: ``""`` for one tensor, keys for a dict, indices for a tuple."""
    if isinstance(value, Mapping):
        return {f"[{key!r}]": item for key, item in value.items()}
    if isinstance(value, (tuple, list)) and value and not np.isscalar(value[0]):
        return {f"[{index}]": item for index, item in enumerate(value)}
    if value is None:
        raise AssertionError(f"{call} returned None; expected a value (did you forget `return`?)")
    return {"": value}


def _projection(shape: tuple, name: str) -> np.ndarray:
    """Fixed weights of ``shape`` for one output (the same on both sides): 1 for a scalar, else random."""
    if int(np.prod(shape)) == 1:
        return np.ones(shape)
    rng = np.random.default_rng(zlib.crc32(repr((name, shape)).encode()))
    return rng.uniform(0.5, 1.5, shape) * rng.choice([-1.0, 1.0], shape)


def evaluate(function: Callable, case: Case, call: str) -> Outcome:
    """Call ``function`` on ``case`` and take the gradients of each output's projection."""
    import tensorflow as tf

    args = list(case.args)
    for index in case.wrt:
        array = np.asarray(args[index])
        args[index] = tf.constant(array if np.issubdtype(array.dtype, np.floating) else array.astype(np.float32))
    watched = [args[index] for index in case.wrt]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(watched)
        named = _named_outputs(function(*args, **case.kwargs), call)
        projected = {}
        for name, tensor in named.items():
            if case.wrt and tf.is_tensor(tensor) and tensor.dtype.is_floating:
                weights = tf.constant(_projection(tuple(tensor.shape), name), tensor.dtype)
                projected[name] = tf.reduce_sum(tensor * weights)
    outputs = {name: as_array(tensor, f"{call}{name}") for name, tensor in named.items()}
    gradients = {}
    for name, scalar in projected.items():
        for index, grad in zip(case.wrt, tape.gradient(scalar, watched, unconnected_gradients="none")):
            gradients[(name, index)] = None if grad is None else as_array(grad, "gradient")
    del tape
    return Outcome(outputs, gradients)


def _argument_names(function: Callable) -> list[str]:
    """Parameter names of ``function`` for messages (positional order)."""
    code = getattr(function, "__code__", None)
    return list(code.co_varnames[: code.co_argcount]) if code else []


def _difference(name: str, case: Case, mine: Outcome, expected: Outcome, atol: float, rtol: float,
                names: list[str], same_dtype: bool) -> str | None:
    """Why ``mine`` differs from ``expected`` on ``case``, or None when they agree."""
    call = f"{name}({case.label})"
    for key, want in expected.outputs.items():
        got = mine.outputs.get(key)
        if got is None:
            return f"{call} returned no output {key!r}; expected {fmt(want)}"
        if same_dtype and got.dtype != want.dtype:
            return f"{call}{key} returned dtype {got.dtype}; expected {want.dtype}"
        if got.shape != want.shape and got.size == want.size == 1:
            got = got.reshape(want.shape)
        if got.shape != want.shape:
            return f"{call}{key} returned shape {got.shape}; expected {want.shape}"
        if not np.allclose(got, want, atol=atol, rtol=rtol, equal_nan=False):
            return f"{call}{key} returned {fmt(got)}; expected {fmt(want)}"
    for (key, index), wanted in expected.gradients.items():
        grad = mine.gradients.get((key, index))
        output = f"{call}{key}" if mine.outputs[key].size == 1 else f"sum(w * {call}{key}) (w: fixed random weights)"
        what = f"the gradient of {output} with respect to {names[index] if index < len(names) else f'argument {index}'}"
        if grad is None:
            if wanted is not None and np.any(wanted != 0):
                return f"{what} is missing (no gradient flows; a numpy step or a stop_gradient cuts it); expected {fmt(wanted)}"
            continue
        wanted = np.zeros_like(grad) if wanted is None else wanted
        if grad.shape != wanted.shape or not np.allclose(grad, wanted, atol=atol, rtol=rtol):
            return f"{what} is {fmt(grad)}; expected {fmt(wanted)}"
    return None


def expect_matches_reference(name: str, function: Callable, reference: Callable, cases: Iterable[Case],
                             why: str = "", atol: float = 1e-4, rtol: float = 1e-4, same_dtype: bool = False) -> None:
    """``function`` must agree with ``reference`` on every case, in values and gradients (and in
    dtype, when the contract states it: ``same_dtype``).

    The first case that differs (cases go from small to large) fails the check with the
    input's label, what the answer returned and what the contract gives.
    """
    names = _argument_names(reference)
    for case in cases:
        expected = evaluate(reference, case, f"reference {name}")
        mine = evaluate(function, case, f"{name}({case.label})")
        difference = _difference(name, case, mine, expected, atol, rtol, names, same_dtype)
        if difference:
            raise AssertionError(difference + (f" ({why})" if why else ""))
