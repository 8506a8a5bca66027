"""Checks for modality_fusion: attention weights and masking, the shapes and behaviour of the four
fusion layers, and that each layer can learn a toy task that needs both modalities."""

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
    expect_in_range,
    expect_shape,
    ready_to_compile,
)

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


def test_attention_returns_outputs_and_weights_of_the_right_shapes(answer):
    call = "attention(queries (2, 3, 4), keys (2, 5, 4), values (2, 5, 6))"
    outputs, weights = pair(answer.attention(normal(2, 3, 4), normal(2, 5, 4, seed=1), normal(2, 5, 6, seed=2)), call)
    expect_finite(expect_shape(outputs, (2, 3, 6), call + "[0]"), call + "[0]")
    expect_in_range(expect_shape(weights, (2, 3, 5), call + "[1]"), 0.0, 1.0, call + "[1]")


@pytest.mark.points(2)
def test_attention_weights_sum_to_one_over_the_keys(answer):
    call = "attention(queries (2, 3, 4), keys (2, 5, 4), values (2, 5, 6))[1]"
    _, weights = pair(answer.attention(normal(2, 3, 4), normal(2, 5, 4, seed=1), normal(2, 5, 6, seed=2)), call)
    expect_rows_sum_to_one(expect_shape(weights, (2, 3, 5), call), call, "the 5 keys")


@pytest.mark.points(2)
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


# ---------------------------------------------------------------- concat and gated fusion


def two_vectors(batch: int = 6):
    return normal(batch, 10, seed=3, scale=2.0), normal(batch, 7, seed=4, scale=2.0)


def test_concat_fusion_returns_one_vector_per_example(answer):
    a, b = two_vectors()
    call = "ConcatFusion(12)([a (6, 10), b (6, 7)])"
    expect_finite(expect_shape(answer.ConcatFusion(12)([a, b]), (6, 12), call), call)


def uses_both(layer, a, b, name: str, pick=lambda out: out) -> None:
    """The fused output must change when either input changes."""
    base = as_array(pick(layer([a, b])), f"{name}([a, b])")
    for label, args in (("a", [a * -1.0 + 0.5, b]), ("b", [a, b * -1.0 + 0.5])):
        if max_difference(as_array(pick(layer(args)), f"{name}(...)"), base) < 1e-6:
            raise AssertionError(f"{name}([a, b]) did not change when {label} changed; the fused output must depend on both modalities")


@pytest.mark.points(2)
def test_concat_fusion_uses_both_modalities(answer):
    a, b = two_vectors()
    uses_both(answer.ConcatFusion(12), a, b, "ConcatFusion(12)")


def test_gated_fusion_returns_fused_vectors_and_a_gate(answer):
    a, b = two_vectors()
    call = "GatedFusion(12)([a (6, 10), b (6, 7)])"
    fused, gate = pair(answer.GatedFusion(12)([a, b]), call)
    expect_finite(expect_shape(fused, (6, 12), call + "[0]"), call + "[0]")
    expect_shape(gate, (6, 12), call + "[1]")


@pytest.mark.points(2)
def test_gated_fusion_gate_is_strictly_between_zero_and_one(answer):
    a, b = two_vectors(32)
    call = "GatedFusion(12)([a, b])[1] (the gate)"
    gate = expect_finite(pair(answer.GatedFusion(12)([a, b]), call)[1], call)
    if gate.min() <= 0.0 or gate.max() >= 1.0:
        raise AssertionError(f"{call} took values in [{gate.min():.4g}, {gate.max():.4g}]; expected every value strictly "
                             "inside (0, 1), a weight between the two modalities (use a sigmoid)")


def test_gated_fusion_gate_depends_on_the_inputs(answer):
    a, b = two_vectors()
    call = "GatedFusion(12)([a, b])[1] (the gate)"
    gate = as_array(pair(answer.GatedFusion(12)([a, b]), call)[1], call)
    if np.abs(gate - gate[:1]).max() < 1e-6:
        raise AssertionError(f"{call} was the same for every example; a learned gate is computed from the inputs, "
                             "so it can weigh the modalities differently per example")


@pytest.mark.points(2)
def test_gated_fusion_uses_both_modalities(answer):
    a, b = two_vectors()
    uses_both(answer.GatedFusion(12), a, b, "GatedFusion(12)", pick=lambda out: pair(out, "GatedFusion(12)([a, b])")[0])


# ---------------------------------------------------------------- cross-attention fusion


def sequences():
    """x (2, 4, 6) queries, context (2, 5, 3) with 3 and 5 real tokens."""
    return normal(2, 4, 6, seed=5), normal(2, 5, 3, seed=6), padded_mask([3, 5], 5)


@pytest.mark.points(2)
def test_cross_attention_fusion_weights_sum_to_one_over_the_context(answer):
    x, context, _ = sequences()
    call = "CrossAttentionFusion(8)([x (2, 4, 6), context (2, 5, 3)])"
    fused, weights = pair(answer.CrossAttentionFusion(8)([x, context]), call)
    expect_finite(expect_shape(fused, (2, 4, 8), call + "[0]"), call + "[0]")
    expect_rows_sum_to_one(expect_shape(weights, (2, 4, 5), call + "[1]"), call + "[1]", "the 5 context tokens")


@pytest.mark.points(2)
def test_cross_attention_fusion_ignores_padded_context(answer):
    x, context, mask = sequences()
    layer = answer.CrossAttentionFusion(8)
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
def test_cross_attention_fusion_uses_both_modalities(answer):
    x, context, _ = sequences()
    uses_both(answer.CrossAttentionFusion(8), x, context, "CrossAttentionFusion(8)",
              pick=lambda out: pair(out, "CrossAttentionFusion(8)([x, context])")[0])


# ---------------------------------------------------------------- self-attention fusion


@pytest.mark.points(2)
def test_self_attention_fusion_attends_over_the_joint_sequence(answer):
    x, context, _ = sequences()
    call = "SelfAttentionFusion(8)([a (2, 4, 6), b (2, 5, 3)])"
    fused, weights = pair(answer.SelfAttentionFusion(8)([x, context]), call)
    expect_finite(expect_shape(fused, (2, 9, 8), call + "[0]"), call + "[0]")
    expect_rows_sum_to_one(expect_shape(weights, (2, 9, 9), call + "[1]"), call + "[1]", "all 4 + 5 tokens")


@pytest.mark.points(2)
def test_self_attention_fusion_mixes_the_two_modalities(answer):
    a, b, _ = sequences()
    layer = answer.SelfAttentionFusion(8)
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
def test_self_attention_fusion_ignores_padded_tokens_of_b(answer):
    a, b, mask = sequences()
    layer = answer.SelfAttentionFusion(8)
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


# ---------------------------------------------------------------- learning


@functools.lru_cache(maxsize=2)
def task_data(n: int, seed: int):
    """Images (as 7 tokens of 4 pixel rows) of some scenes, one-hot captions of others; label = image size x caption shape."""
    images = toy_data.make_batch(n, seed)
    captions = toy_data.make_batch(n, seed + 100)
    labels = np.array([toy_data.SIZES.index(p.size) * 4 + toy_data.SHAPES.index(q.shape)
                       for p, q in zip(images.scenes, captions.scenes)], np.int32)
    one_hot = np.eye(toy_data.VOCAB_SIZE, dtype=np.float32)[captions.captions]  # (n, 6, vocab)
    return images.images.reshape(n, 7, 4 * 28), one_hot, captions.captions != toy_data.PAD, labels


def learns(fuse, make_layer, name: str) -> None:
    """Train fusion layer + linear head on the toy task; accuracy must beat what one modality allows (0.5)."""
    layer, head = make_layer(), keras.layers.Dense(CLASSES)
    optimizer = keras.optimizers.Adam(1e-2)
    images, tokens, masks, labels = task_data(1024, 0)

    def logits(x, c, m):
        return head(fuse(layer, x, c, m))

    def step(x, c, m, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits(x, c, m)))
        variables = layer.trainable_variables + head.trainable_variables
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return loss

    x0, c0, m0 = tf.constant(images[:2]), tf.constant(tokens[:2]), tf.constant(masks[:2])
    logits(x0, c0, m0)
    train = compiled(step, ready_to_compile(optimizer, layer, head))
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
def test_concat_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: layer(list(flat(x, c, m))), lambda: answer.ConcatFusion(32), "ConcatFusion(32)")


@pytest.mark.training
@pytest.mark.points(2)
def test_gated_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: layer(list(flat(x, c, m)))[0], lambda: answer.GatedFusion(32), "GatedFusion(32)")


@pytest.mark.training
@pytest.mark.points(2)
def test_cross_attention_fusion_learns_a_task_that_needs_both_modalities(answer):
    learns(lambda layer, x, c, m: tf.reduce_mean(layer([x, c], context_mask=m)[0], axis=1),
           lambda: answer.CrossAttentionFusion(32), "CrossAttentionFusion(32) (image row-bands query the caption tokens)")


@pytest.mark.training
@pytest.mark.points(2)
def test_self_attention_fusion_learns_a_task_that_needs_both_modalities(answer):
    def pooled(layer, x, c, m):
        fused = layer([x, c], b_mask=m)[0]
        return tf.concat([tf.reduce_mean(fused[:, :7], axis=1), tf.reduce_mean(fused[:, 7:], axis=1)], axis=1)

    learns(pooled,
           lambda: answer.SelfAttentionFusion(32), "SelfAttentionFusion(32) (image row-bands and caption tokens)")
