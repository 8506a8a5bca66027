"""Checks for modality_fusion: attention against the reference on random and edge cases (values and
gradients), the shapes and stated properties of the four fusion layers (checked by perturbing their
inputs), and that each layer can learn a toy task that needs both modalities."""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    compiled,
    expect_close,
    expect_finite,
    expect_shape,
    fresh_per_answer,
    once_per_answer,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import LoopAdam

LEARNING_STEPS = 40
CLASSES = 8  # size of the image (2) x shape named by an unrelated caption (4)


def normal(*shape, seed: int = 0, scale: float = 1.0):
    return tf.constant(scale * np.random.default_rng(seed).standard_normal(shape), tf.float32)


def padded_mask(lengths, length: int):
    """Bool (batch, length): True for the first lengths[i] positions of row i."""
    return tf.constant(np.arange(length)[None, :] < np.asarray(lengths)[:, None])


def pair(value, call: str):
    """Split a returned (x, weights) pair, failing clearly when it is not one."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise AssertionError(f"{call} returned {type(value).__name__}; expected a pair (outputs, weights)")
    return value


def expect_rows_sum_to_one(weights, call: str, axis_name: str) -> None:
    sums = as_array(weights, call).sum(axis=-1)
    expect_close(sums, np.ones_like(sums), f"{call}: weights summed over the last axis",
                 f"a softmax over {axis_name}: for each query the weights over the attended tokens sum to 1", atol=1e-5)


def max_difference(a, b) -> float:
    return float(np.abs(np.asarray(a) - np.asarray(b)).max())


# ---------------------------------------------------------------- attention


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_attention_matches_a_hand_computed_case(answer):
    queries = tf.constant([[[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0]]])
    keys = tf.constant([[[2.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]]])
    values = tf.constant([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
    scores = np.array([[2.0, 0.0, 0.0], [0.0, 2.0, 0.0]]) / 2.0  # q·k / sqrt(4)
    expected_weights = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
    call = "attention(hand-made queries (1, 2, 4), keys (1, 3, 4), values (1, 3, 2))"
    outputs, weights = pair(answer.attention(queries, keys, values), call)
    expect_close(weights, expected_weights[None], call + "[1]", "softmax over the keys of q·k / sqrt(d), d = 4", atol=1e-5)
    expect_close(outputs, (expected_weights @ values.numpy()[0])[None], call + "[0]", "weights @ values", atol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_attention_gives_padded_keys_zero_weight(answer):
    keys, values, mask = normal(2, 5, 4, seed=1), normal(2, 5, 3, seed=2), padded_mask([3, 5], 5)
    call = "attention(queries, keys, values, key_mask=[[T, T, T, F, F], [T, T, T, T, T]])"
    outputs, weights = pair(answer.attention(normal(2, 4, 4), keys, values, mask), call)
    w = expect_shape(weights, (2, 4, 5), call + "[1]")
    if w[0, :, 3:].max() > 1e-6:
        raise AssertionError(f"{call}[1] gave the padded keys 3 and 4 of example 0 weights up to {w[0, :, 3:].max():.3g}; "
                             "expected 0 (set their scores to a large negative number before the softmax)")
    expect_rows_sum_to_one(w, call + "[1]", "the real keys only")
    noisy = np.array(values)
    noisy[0, 3:] = 100.0
    changed, _ = pair(answer.attention(normal(2, 4, 4), keys, tf.constant(noisy), mask), call)
    if max_difference(changed, outputs) > 1e-4:
        raise AssertionError(f"{call}[0] changed by {max_difference(changed, outputs):.3g} when only the values of "
                             "padded keys changed; padding must not reach the outputs")


def mask_label(mask: np.ndarray) -> str:
    """A bool mask as rows of T and F, e.g. [TTF, TTT]."""
    return "[" + ", ".join("".join("T" if keep else "F" for keep in row) for row in mask) + "]"


def attention_case(rng: np.random.Generator, batch: int, lq: int, lk: int, d: int, dv: int, *, scale: float = 1.0,
                   mask: str = "none", zero_queries: bool = False) -> Case:
    """Seeded queries, keys and values of the given sizes, with ``mask`` one of "none", "all real",
    "partial" (each row keeps at least its first key) or "one row padded" (example 0 has no real key).

    Gradients are compared with respect to all three inputs, except in a fully padded row and at
    huge scores (``scale`` above 1), where they are compared with respect to the values only. In a
    fully padded row the weights are uniform whatever the scores, so the gradient with respect to
    queries and keys depends on how the scores were masked, which the contract leaves free. At
    scores near 10^6, float32 rounds each score by about 0.1, so that gradient is rounding noise
    that differs between sound implementations and between CPUs (a sound answer's was 1e-4 from
    the reference's on one machine and within tolerance on another)."""
    queries = np.zeros((batch, lq, d)) if zero_queries else scale * rng.standard_normal((batch, lq, d))
    keys = scale * rng.standard_normal((batch, lk, d))
    values = rng.standard_normal((batch, lk, dv))
    args = [tf.constant(queries, tf.float32), tf.constant(keys, tf.float32), tf.constant(values, tf.float32)]
    size = " all zero" if zero_queries else (f" x{scale:g}" if scale != 1.0 else "")
    label = f"queries (b={batch}, Lq={lq}, d={d}){size}, keys (Lk={lk}){size if scale != 1.0 else ''}, values (dv={dv})"
    wrt = (0, 1, 2) if scale == 1.0 else (2,)
    if mask != "none":
        keep = np.ones((batch, lk), bool)
        if mask == "partial":
            keep = np.arange(lk)[None, :] < rng.integers(1, lk + 1, batch)[:, None]
        elif mask == "one row padded":
            keep[0] = False
            wrt = (2,)
        args.append(tf.constant(keep))
        label += f", key_mask={mask_label(keep)}"
    return Case(label, tuple(args), wrt=wrt)


def attention_cases() -> list[Case]:
    """Small to large: one-element batch and single key, ties (all-zero queries), Lq != Lk and dv != d,
    partial and complete padding, a fully padded row, and scores in the millions."""
    rng = np.random.default_rng(13)
    return [
        attention_case(rng, 1, 1, 1, 1, 1),
        attention_case(rng, 2, 3, 4, 4, 2, zero_queries=True),
        attention_case(rng, 2, 3, 5, 4, 6, mask="all real"),
        attention_case(rng, 3, 4, 4, 8, 2, mask="partial"),
        attention_case(rng, 2, 2, 4, 3, 5, mask="one row padded"),
        attention_case(rng, 4, 6, 7, 16, 5, mask="partial"),
        attention_case(rng, 2, 3, 6, 4, 3, scale=1000.0),
        attention_case(rng, 3, 4, 6, 4, 3, scale=1000.0, mask="partial"),
    ]


@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_attention_matches_the_reference_on_random_and_edge_cases(answer, reference):
    """Outputs, weights and their gradients with respect to queries, keys and values, against the
    reference on seeded inputs: a one-element batch, ties, Lq != Lk, dv != d (the scale is sqrt of
    the key size), padding, a row with every key padded (uniform weights) and huge scores (no
    overflow, and a padded key stays at weight 0 however large its score)."""
    expect_matches_reference("attention", answer.attention, reference.attention, attention_cases(),
                             "softmax over the keys of queries·keys / sqrt(d), padded keys masked before the softmax")


# ---------------------------------------------------------------- concat and gated fusion


def two_vectors(batch: int = 6):
    return normal(batch, 10, seed=3, scale=2.0), normal(batch, 7, seed=4, scale=2.0)


def built(layer, inputs: list):
    """``layer`` after its first call on ``inputs`` (which creates its weights)."""
    layer(inputs)
    return layer


@once_per_answer
def fresh_concat(answer):
    """One untrained ConcatFusion(12), built on two_vectors(): the checks that only call it share it."""
    return built(answer.ConcatFusion(12), list(two_vectors()))


@fresh_per_answer
def fresh_gated(answer):
    """One untrained GatedFusion(12), built on two_vectors(): the checks share it, each getting it back
    with its weights as built (one check takes a gradient step on them)."""
    return built(answer.GatedFusion(12), list(two_vectors()))


@pytest.mark.hint(1)
def test_concat_fusion_returns_one_vector_per_example(answer):
    a, b = two_vectors()
    call = "ConcatFusion(12)([a (6, 10), b (6, 7)])"
    expect_finite(expect_shape(fresh_concat(answer)([a, b]), (6, 12), call), call)


def uses_both(layer, a, b, name: str, pick=lambda out: out) -> None:
    """The fused output must change when either input changes."""
    base = as_array(pick(layer([a, b])), f"{name}([a, b])")
    for label, args in (("a", [a * -1.0 + 0.5, b]), ("b", [a, b * -1.0 + 0.5])):
        if max_difference(as_array(pick(layer(args)), f"{name}(...)"), base) < 1e-6:
            raise AssertionError(f"{name}([a, b]) did not change when {label} changed; "
                                 "the fused output must depend on both modalities")


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_concat_fusion_uses_both_modalities(answer):
    a, b = two_vectors()
    uses_both(fresh_concat(answer), a, b, "ConcatFusion(12)")


@pytest.mark.hint(4)
def test_gated_fusion_returns_fused_vectors_and_a_gate(answer):
    a, b = two_vectors()
    call = "GatedFusion(12)([a (6, 10), b (6, 7)])"
    fused, gate = pair(fresh_gated(answer)([a, b]), call)
    expect_finite(expect_shape(fused, (6, 12), call + "[0]"), call + "[0]")
    expect_shape(gate, (6, 12), call + "[1]")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_gated_fusion_gate_is_strictly_between_zero_and_one(answer):
    a, b = two_vectors(32)
    call = "GatedFusion(12)([a, b])[1] (the gate)"
    gate = expect_finite(pair(fresh_gated(answer)([a, b]), call)[1], call)
    if gate.min() <= 0.0 or gate.max() >= 1.0:
        raise AssertionError(f"{call} took values in [{gate.min():.4g}, {gate.max():.4g}]; expected every value strictly "
                             "inside (0, 1), a weight between the two modalities (use a sigmoid)")


def gate_of(layer, a, b, call: str) -> np.ndarray:
    """The gate GatedFusion returns for [a, b]."""
    return as_array(pair(layer([a, b]), call)[1], call + "[1] (the gate)")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_gated_fusion_gate_is_computed_from_both_inputs(answer):
    a, b = two_vectors()
    layer = fresh_gated(answer)
    base = gate_of(layer, a, b, "GatedFusion(12)([a, b])")
    for label, args in (("a", (a * -1.0 + 0.5, b)), ("b", (a, b * -1.0 + 0.5))):
        other = gate_of(layer, *args, f"GatedFusion(12)([a, b]) with {label} changed")
        if max_difference(other, base) < 1e-6:
            raise AssertionError(f"GatedFusion(12)([a, b])[1] (the gate) did not change when {label} changed; the gate is "
                                 "computed from both inputs, so it can weigh the modalities differently per example")


def gate_mix_residual(fused: np.ndarray, gate: np.ndarray, n_a: int, n_b: int) -> float:
    """How far ``fused`` (rows: every pair (a_i, b_j), i major) is from z * P(a_i) + (1 - z) * Q(b_j) for the
    best vectors P and Q: the least-squares residual over all features, relative to the size of fused."""
    residual = 0.0
    for feature in range(fused.shape[1]):
        z = gate[:, feature].astype(np.float64)
        design = np.zeros((n_a * n_b, n_a + n_b))
        rows = np.arange(n_a * n_b)
        design[rows, rows // n_b] = z
        design[rows, n_a + rows % n_b] = 1.0 - z
        target = fused[:, feature].astype(np.float64)
        solution = np.linalg.lstsq(design, target, rcond=None)[0]
        residual += float(np.sum((design @ solution - target) ** 2))
    return float(np.sqrt(residual / max(np.sum(fused.astype(np.float64) ** 2), 1e-12)))


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_gated_fusion_output_is_gate_times_h_a_plus_one_minus_gate_times_h_b(answer):
    """On every pair of 4 values of a and 4 of b, fused must be z * h_a + (1 - z) * h_b with the returned z,
    h_a depending on a alone and h_b on b alone: 16 equations per feature for 8 unknowns, solved by least
    squares. Swapping the roles (z * h_b + (1 - z) * h_a) or mixing anything else leaves a residual."""
    n_a = n_b = 4
    a, b = two_vectors(n_a)
    pairs_a, pairs_b = tf.repeat(a, n_b, axis=0), tf.tile(b, (n_a, 1))
    call = "GatedFusion(12)([a, b]) on 16 pairs (4 values of a x 4 of b)"
    fused, gate = pair(fresh_gated(answer)([pairs_a, pairs_b]), call)
    fused = expect_shape(fused, (16, 12), call + "[0]")
    gate = expect_shape(gate, (16, 12), call + "[1]")
    residual = gate_mix_residual(fused, gate, n_a, n_b)
    if not residual < 1e-3:
        raise AssertionError(f"{call}[0] is not z * h_a + (1 - z) * h_b with the gate z it returned: the best fit with "
                             f"h_a a function of a alone and h_b of b alone leaves {residual:.3g} of fused unexplained "
                             "(expected < 0.001). z weighs a's projection, 1 - z weighs b's")


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_gated_fusion_gate_is_learned_through_the_fused_output(answer):
    """One gradient step on a loss of fused must move the gate: the gate's weights are trained, so no
    stop_gradient (or numpy step) between them and fused."""
    a, b = two_vectors()
    layer = fresh_gated(answer)
    call = "GatedFusion(12)([a, b])"
    before = gate_of(layer, a, b, call)
    weights = tf.constant(np.random.default_rng(9).choice([-1.0, 1.0], (6, 12)), tf.float32)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(weights * pair(layer([a, b]), call)[0])
    for variable, grad in zip(layer.trainable_variables, tape.gradient(loss, layer.trainable_variables)):
        if grad is not None:
            variable.assign_sub(0.1 * tf.convert_to_tensor(grad))
    moved = max_difference(gate_of(layer, a, b, call), before)
    if moved < 1e-6:
        raise AssertionError(f"one SGD step (learning rate 0.1) on sum(w * {call}[0]) over the layer's trainable weights "
                             f"moved the gate by {moved:.3g}; expected it to move: the gate's weights get no gradient "
                             "from fused (a stop_gradient, or a value taken out of the graph), so the gate is never learned")


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_gated_fusion_uses_both_modalities(answer):
    a, b = two_vectors()
    uses_both(fresh_gated(answer), a, b, "GatedFusion(12)", pick=lambda out: pair(out, "GatedFusion(12)([a, b])")[0])


# ---------------------------------------------------------------- cross-attention fusion


def sequences():
    """x (2, 4, 6) queries, context (2, 5, 3) with 3 and 5 real tokens."""
    return normal(2, 4, 6, seed=5), normal(2, 5, 3, seed=6), padded_mask([3, 5], 5)


@once_per_answer
def fresh_cross(answer):
    """One untrained CrossAttentionFusion(8), built on sequences(): the checks that only call it share it."""
    return built(answer.CrossAttentionFusion(8), list(sequences()[:2]))


@once_per_answer
def fresh_self(answer):
    """One untrained SelfAttentionFusion(8), built on sequences(): the checks that only call it share it."""
    return built(answer.SelfAttentionFusion(8), list(sequences()[:2]))


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_cross_attention_fusion_weights_sum_to_one_over_the_context(answer):
    x, context, _ = sequences()
    call = "CrossAttentionFusion(8)([x (2, 4, 6), context (2, 5, 3)])"
    fused, weights = pair(fresh_cross(answer)([x, context]), call)
    expect_finite(expect_shape(fused, (2, 4, 8), call + "[0]"), call + "[0]")
    expect_rows_sum_to_one(expect_shape(weights, (2, 4, 5), call + "[1]"), call + "[1]", "the 5 context tokens")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_cross_attention_fusion_ignores_padded_context(answer):
    x, context, mask = sequences()
    layer = fresh_cross(answer)
    call = "CrossAttentionFusion(8)([x, context], context_mask=[[T, T, T, F, F], [T, T, T, T, T]])"
    fused, weights = pair(layer([x, context], context_mask=mask), call)
    w = expect_shape(weights, (2, 4, 5), call + "[1]")
    if w[0, :, 3:].max() > 1e-6:
        raise AssertionError(f"{call}[1] gave padded context tokens weights up to {w[0, :, 3:].max():.3g}; expected 0")
    noisy = np.array(context)
    noisy[0, 3:] = 50.0
    again, _ = pair(layer([x, tf.constant(noisy)], context_mask=mask), call)
    if max_difference(again, fused) > 1e-4:
        raise AssertionError(f"{call}[0] changed by {max_difference(again, fused):.3g} when only padded context tokens changed; "
                             "padding must not reach the fused sequence")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_cross_attention_fusion_uses_both_modalities(answer):
    x, context, _ = sequences()
    uses_both(fresh_cross(answer), x, context, "CrossAttentionFusion(8)",
              pick=lambda out: pair(out, "CrossAttentionFusion(8)([x, context])")[0])


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_cross_attention_fusion_keeps_projected_x_as_a_residual(answer):
    """With a single context token every position of x attends to it alone, so the attended context is
    the same at every position and fused = projected x + attended context differs as x does."""
    x, context = normal(2, 4, 6, seed=5), normal(2, 1, 3, seed=6)
    call = "CrossAttentionFusion(8)([x (2, 4, 6), context (2, 1, 3)])"
    fused = expect_shape(pair(fresh_cross(answer)([x, context]), call)[0], (2, 4, 8), call + "[0]")
    spread = max_difference(fused, fused[:, :1])
    if spread < 1e-5:
        raise AssertionError(f"{call}[0] was the same at all 4 positions of x (they differ by {spread:.3g}); with one "
                             "context token the attended context is the same everywhere, so each position must keep its "
                             "own projected x: fused = projected x + attended context")


# ---------------------------------------------------------------- self-attention fusion


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_self_attention_fusion_attends_over_the_joint_sequence(answer):
    x, context, _ = sequences()
    call = "SelfAttentionFusion(8)([a (2, 4, 6), b (2, 5, 3)])"
    fused, weights = pair(fresh_self(answer)([x, context]), call)
    expect_finite(expect_shape(fused, (2, 9, 8), call + "[0]"), call + "[0]")
    expect_rows_sum_to_one(expect_shape(weights, (2, 9, 9), call + "[1]"), call + "[1]", "all 4 + 5 tokens")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_self_attention_fusion_mixes_the_two_modalities(answer):
    a, b, _ = sequences()
    layer = fresh_self(answer)
    call = "SelfAttentionFusion(8)([a, b])"
    base = as_array(pair(layer([a, b]), call)[0], call)
    other_b = as_array(pair(layer([a, b * -1.0 + 0.5]), call)[0], call)
    other_a = as_array(pair(layer([a * -1.0 + 0.5, b]), call)[0], call)
    if max_difference(other_b[:, :4], base[:, :4]) < 1e-6:
        raise AssertionError(f"{call}[0] at the 4 positions of a did not change when b changed; each token must attend "
                             "over the tokens of both modalities (one joint sequence, not two separate ones)")
    if max_difference(other_a[:, 4:], base[:, 4:]) < 1e-6:
        raise AssertionError(f"{call}[0] at the 5 positions of b did not change when a changed; each token must attend "
                             "over the tokens of both modalities")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_self_attention_fusion_ignores_padded_tokens_of_b(answer):
    a, b, mask = sequences()
    layer = fresh_self(answer)
    call = "SelfAttentionFusion(8)([a, b], b_mask=[[T, T, T, F, F], [T, T, T, T, T]])"
    fused, weights = pair(layer([a, b], b_mask=mask), call)
    w = expect_shape(weights, (2, 9, 9), call + "[1]")
    if w[0, :, 7:].max() > 1e-6:
        raise AssertionError(f"{call}[1] gave the padded tokens of b (joint positions 7, 8 of example 0) weights up to "
                             f"{w[0, :, 7:].max():.3g}; expected 0")
    noisy = np.array(b)
    noisy[0, 3:] = 50.0
    again = as_array(pair(layer([a, tf.constant(noisy)], b_mask=mask), call)[0], call)
    real = np.asarray(fused)[0, :7]
    if max_difference(again[0, :7], real) > 1e-4:
        raise AssertionError(f"{call}[0] at the real tokens changed by {max_difference(again[0, :7], real):.3g} when only "
                             "padded tokens of b changed; padding must not reach the real tokens")


def one_real_key(a, b, answer, call: str) -> np.ndarray:
    """SelfAttentionFusion(8)'s fused tokens for ``a`` of one token and ``b`` fully padded: every query then
    attends to a's token alone, so the attention output is the same at every position and fused differs
    from position to position only as the joint tokens do."""
    mask = tf.zeros(b.shape[:2], tf.bool)
    fused = pair(fresh_self(answer)([a, b], b_mask=mask), call)[0]
    return expect_shape(fused, (a.shape[0], 1 + b.shape[1], 8), call + "[0]")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_self_attention_fusion_adds_the_joint_tokens_to_their_attention_output(answer):
    a, b = normal(2, 1, 6, seed=5), normal(2, 4, 3, seed=6)
    call = "SelfAttentionFusion(8)([a (2, 1, 6), b (2, 4, 3)], b_mask=all False)"
    fused = one_real_key(a, b, answer, call)
    spread = max_difference(fused[:, 1:], fused[:, 1:2])
    if spread < 1e-5:
        raise AssertionError(f"{call}[0] was the same at all 4 positions of b (they differ by {spread:.3g}); a's one "
                             "token is the only real key, so the attention output is the same everywhere and each "
                             "position must keep its own joint token: fused = the joint tokens + their attention output "
                             "(padded positions too)")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_self_attention_fusion_tokens_carry_a_modality_embedding(answer):
    """On all-zero inputs the projections carry nothing; the tokens of a and of b must still differ through
    the modality embedding, and fused keeps them (its residual is the joint tokens, embedding included)."""
    a, b = tf.zeros((2, 1, 6)), tf.zeros((2, 4, 3))
    call = "SelfAttentionFusion(8)([a zeros (2, 1, 6), b zeros (2, 4, 3)], b_mask=all False)"
    fused = one_real_key(a, b, answer, call)
    gap = max_difference(fused[:, 1:], fused[:, :1])
    if gap < 1e-6:
        raise AssertionError(f"{call}[0] was the same at a's token and at b's tokens (they differ by {gap:.3g}); the "
                             "joint tokens must say which modality they come from: add a learned embedding per "
                             "modality (initialised apart, e.g. randomly) to the projections, and keep it in the "
                             "residual: fused = the joint tokens + their attention output")


# ---------------------------------------------------------------- learning


def drawn_scenes(n: int, seed: int) -> tuple[tuple, np.random.Generator]:
    """The scenes toy_data.make_batch(n, seed) draws, and its generator as it then is (about to render them)."""
    rng = np.random.default_rng(seed)
    pool = toy_data.all_scenes()
    return tuple(pool[i] for i in rng.integers(0, len(pool), size=n)), rng


@functools.lru_cache(maxsize=2)
def task_data(n: int, seed: int):
    """Images (as 7 tokens of 4 pixel rows) of some scenes, one-hot captions of others; label = image size x caption shape.
    The images and captions are toy_data.make_batch's, drawn as it draws them without rendering the audio it also makes."""
    scenes, rng = drawn_scenes(n, seed)
    images = np.stack([toy_data.render(scene, rng) for scene in scenes])
    others, _ = drawn_scenes(n, seed + 100)
    captions = np.stack([toy_data.encode(scene.words) for scene in others])
    labels = np.array([toy_data.SIZES.index(p.size) * 4 + toy_data.SHAPES.index(q.shape)
                       for p, q in zip(scenes, others)], np.int32)
    one_hot = np.eye(toy_data.VOCAB_SIZE, dtype=np.float32)[captions]  # (n, 6, vocab)
    return images.reshape(n, 7, 4 * 28), one_hot, captions != toy_data.PAD, labels


def learns(fuse, make_layer, name: str) -> None:
    """Train fusion layer + linear head on the toy task; accuracy must beat what one modality allows (0.5)."""
    layer, head = make_layer(), keras.layers.Dense(CLASSES)
    images, tokens, masks, labels = task_data(1024, 0)

    def logits(x, c, m):
        return head(fuse(layer, x, c, m))

    x0, c0, m0 = tf.constant(images[:2]), tf.constant(tokens[:2]), tf.constant(masks[:2])
    logits(x0, c0, m0)
    variables = layer.trainable_variables + head.trainable_variables
    optimizer = LoopAdam(1e-2, variables)

    def step(x, c, m, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits(x, c, m)))
        optimizer.apply(tape.gradient(loss, variables))
        return loss

    train = compiled(step, ready=True)
    rng = np.random.default_rng(1)
    for _ in range(LEARNING_STEPS):
        idx = rng.choice(len(labels), 64, replace=False)
        train(tf.constant(images[idx]), tf.constant(tokens[idx]), tf.constant(masks[idx]), tf.constant(labels[idx]))
    test_images, test_tokens, test_masks, test_labels = task_data(256, 7)
    predicted = as_array(logits(tf.constant(test_images), tf.constant(test_tokens), tf.constant(test_masks)), name).argmax(axis=1)
    accuracy = float(np.mean(predicted == test_labels))
    if accuracy < 0.7:
        raise AssertionError(
            f"a classifier built on {name} reached accuracy {accuracy:.3f} after {LEARNING_STEPS} steps on a task that needs "
            "both modalities (image size x shape named by the caption; one modality alone allows at most 0.5); "
            "expected at least 0.7. Do gradients reach every part of the layer?"
        )


def flat(x, c, m):
    return tf.reshape(x, (-1, 28 * 28)), tf.reduce_sum(c, axis=1)


@pytest.mark.training
@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_concat_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: layer(list(flat(x, c, m))), lambda: answer.ConcatFusion(32), "ConcatFusion(32)")


@pytest.mark.training
@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_gated_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: layer(list(flat(x, c, m)))[0], lambda: answer.GatedFusion(32), "GatedFusion(32)")


@pytest.mark.training
@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_cross_attention_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: tf.reduce_mean(layer([x, c], context_mask=m)[0], axis=1),
           lambda: answer.CrossAttentionFusion(32), "CrossAttentionFusion(32) (image row-bands query the caption tokens)")


@pytest.mark.training
@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_self_attention_fusion_learns_a_task_that_needs_both_modalities(answer):
    def pooled(layer, x, c, m):
        fused = layer([x, c], b_mask=m)[0]
        return tf.concat([tf.reduce_mean(fused[:, :7], axis=1), tf.reduce_mean(fused[:, 7:], axis=1)], axis=1)

    learns(pooled,
           lambda: answer.SelfAttentionFusion(32), "SelfAttentionFusion(32) (image row-bands and caption tokens)")
