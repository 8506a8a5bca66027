"""Checks for gan_losses: values on hand-computed logits, stability, smoothing, gradients."""

import math

import numpy as np
import pytest
import tensorflow as tf

from mmgen.checks import as_array, expect_close, expect_finite, expect_shape, expect_tensor, fmt
from mmgen.differential import Case, expect_matches_reference

LOG2 = math.log(2.0)


def reference_bce(logits, targets) -> np.ndarray:
    """Cross-entropy written out in float64 for moderate logits: -(y log p + (1 - y) log(1 - p))."""
    x, y = np.asarray(logits, np.float64), np.asarray(targets, np.float64)
    p = 1.0 / (1.0 + np.exp(-x))
    return -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_cross_entropy_matches_hand_values(answer):
    logits = np.array([0.0, 2.0, -3.0, 1.5, -0.5], np.float32)
    targets = np.array([1.0, 1.0, 0.0, 0.25, 0.75], np.float32)
    got = answer.sigmoid_cross_entropy(tf.constant(logits), tf.constant(targets))
    call = f"sigmoid_cross_entropy(logits={logits.tolist()}, targets={targets.tolist()})"
    expect_shape(got, (5,), call)
    expect_close(got, reference_bce(logits, targets), call, "-(y log σ(x) + (1 - y) log(1 - σ(x)))")


@pytest.mark.hint(7)
def test_cross_entropy_keeps_the_input_shape(answer):
    logits = tf.zeros((4, 3))
    got = answer.sigmoid_cross_entropy(logits, tf.ones((4, 3)))
    expect_shape(got, (4, 3), "sigmoid_cross_entropy(zeros (4, 3), ones (4, 3))")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_cross_entropy_is_finite_for_logits_of_100(answer):
    logits = tf.constant([100.0, -100.0, 100.0, -100.0])
    targets = tf.constant([1.0, 0.0, 0.0, 1.0])
    call = "sigmoid_cross_entropy([100, -100, 100, -100], targets [1, 0, 0, 1])"
    expect_finite(answer.sigmoid_cross_entropy(logits, targets), call)
    expect_close(
        answer.sigmoid_cross_entropy(logits, targets), [0.0, 0.0, 100.0, 100.0], call,
        "confidently right costs 0, confidently wrong costs |x|; write it so that exp only ever sees -|x|",
    )


@pytest.mark.hint(4)
def test_losses_return_scalar_tensors(answer):
    logits = tf.zeros((8, 1))
    expect_shape(expect_tensor(answer.discriminator_loss(logits, logits), "discriminator_loss"), (), "discriminator_loss(zeros, zeros)")
    expect_shape(expect_tensor(answer.generator_loss(logits), "generator_loss"), (), "generator_loss(zeros)")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_discriminator_loss_is_log2_per_term_at_zero_logits(answer):
    zeros = tf.zeros((8, 1))
    expect_close(
        answer.discriminator_loss(zeros, zeros), 2 * LOG2, "discriminator_loss(zeros (8, 1), zeros (8, 1))",
        "log 2 for the real term plus log 2 for the fake term; add the two means, do not average them",
    )


@pytest.mark.hint(6)
def test_generator_loss_is_log2_at_zero_logits(answer):
    expect_close(answer.generator_loss(tf.zeros((8, 1))), LOG2, "generator_loss(zeros (8, 1))", "-log σ(0) = log 2")


@pytest.mark.hint(1)
def test_losses_average_over_the_batch(answer):
    zeros = tf.zeros((64, 1))
    call = "discriminator_loss(zeros (64, 1), zeros (64, 1))"
    expect_close(answer.discriminator_loss(zeros, zeros), 2 * LOG2, call, "a mean over the batch, not a sum")
    expect_close(answer.generator_loss(zeros), LOG2, "generator_loss(zeros (64, 1))", "a mean over the batch, not a sum")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_discriminator_loss_matches_hand_computed_value(answer):
    real, fake = [2.0, -1.0, 0.5], [0.5, -3.0, 1.0]
    expected = reference_bce(real, [1, 1, 1]).mean() + reference_bce(fake, [0, 0, 0]).mean()
    expect_close(
        answer.discriminator_loss(tf.constant(real), tf.constant(fake)), expected,
        f"discriminator_loss(real={real}, fake={fake})", "real logits target 1, fake logits target 0",
    )


@pytest.mark.hint(6)
def test_generator_loss_matches_hand_computed_value(answer):
    fake = [0.5, -3.0, 1.0]
    expected = reference_bce(fake, [1, 1, 1]).mean()
    expect_close(answer.generator_loss(tf.constant(fake)), expected, f"generator_loss(fake={fake})", "fake logits target 1 (non-saturating)")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_losses_are_finite_and_right_at_logits_of_100(answer):
    ones = tf.ones((4, 1))
    right = answer.discriminator_loss(100 * ones, -100 * ones)
    wrong = answer.discriminator_loss(-100 * ones, 100 * ones)
    expect_close(right, 0.0, "discriminator_loss(real=+100, fake=-100)", "a confident, correct D costs 0", atol=1e-3)
    expect_close(wrong, 200.0, "discriminator_loss(real=-100, fake=+100)", "100 for each confidently wrong term", rtol=1e-3)
    expect_close(answer.generator_loss(-100 * ones), 100.0, "generator_loss(fake=-100)", "-log σ(-100) ≈ 100", rtol=1e-3)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_generator_loss_does_not_saturate_when_discriminator_rejects_fakes(answer):
    fake = tf.Variable(tf.fill((4, 1), -10.0))
    with tf.GradientTape() as tape:
        loss = answer.generator_loss(fake)
    grad = tape.gradient(loss, fake)
    if grad is None:
        raise AssertionError("generator_loss(fake) has no gradient with respect to the logits; build it with keras.ops or tf")
    expect_close(
        grad, np.full((4, 1), -1.0 / 4), "d generator_loss / d fake_logits at fake = -10", 
        "the non-saturating loss -log σ(x) has slope ≈ -1/batch here; log(1 - σ(x)) would have almost none",
        atol=1e-3,
    )


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_smoothing_adds_s_times_mean_real_logit(answer):
    real, fake, s = [2.0, -1.0, 3.0], [1.0, -5.0, 0.3], 0.2
    plain = as_array(answer.discriminator_loss(tf.constant(real), tf.constant(fake)), "discriminator_loss")
    smooth = answer.discriminator_loss(tf.constant(real), tf.constant(fake), real_smoothing=s)
    expect_close(
        smooth, plain + s * np.mean(real), f"discriminator_loss(real={real}, fake={fake}, real_smoothing={s})",
        "real targets become 1 - s, which adds s·mean(real logits); fake targets stay 0",
    )


@pytest.mark.hint(5)
def test_smoothing_leaves_the_fake_term_alone(answer):
    real, s = tf.constant([0.0, 0.0]), 0.3
    for fake in ([4.0, 4.0], [-4.0, -4.0]):
        plain = as_array(answer.discriminator_loss(real, tf.constant(fake)), "discriminator_loss")
        smooth = answer.discriminator_loss(real, tf.constant(fake), real_smoothing=s)
        expect_close(
            smooth, plain, f"discriminator_loss(real=[0, 0], fake={fake}, real_smoothing={s})",
            "at real logits 0 the real term is log 2 for any target, so only the fake term could change it: it must not",
        )


@pytest.mark.hint(2)
def test_losses_have_finite_gradients_at_extreme_logits(answer):
    logits = tf.Variable([[100.0], [-100.0], [0.0]])
    with tf.GradientTape(persistent=True) as tape:
        d_loss = answer.discriminator_loss(logits, logits)
        g_loss = answer.generator_loss(logits)
    for name, loss in (("discriminator_loss", d_loss), ("generator_loss", g_loss)):
        grad = tape.gradient(loss, logits)
        if grad is None:
            raise AssertionError(f"{name}(logits) has no gradient with respect to the logits; build it with keras.ops or tf")
        expect_finite(grad, f"the gradient of {name} at logits [100, -100, 0]")


def logits_cases(seed: int = 0) -> list[np.ndarray]:
    """Logits from small to large batches, in both accepted shapes, with 0 and ±100 among them."""
    rng = np.random.default_rng(seed)
    edge = np.array([0.0, 100.0, -100.0, 1e-3, -30.0], np.float32)
    return [
        np.zeros((1,), np.float32),
        edge,
        (rng.normal(0, 3, (7, 1))).astype(np.float32),
        np.concatenate([rng.normal(0, 8, 27), edge]).astype(np.float32),
    ]


@pytest.mark.hint(3)
def test_cross_entropy_matches_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(1)
    cases = [
        Case(f"logits={fmt(x)}, targets={fmt(y)}", (x, y), wrt=(0,))
        for x in logits_cases()
        for y in (np.ones_like(x), np.zeros_like(x), rng.uniform(0, 1, x.shape).astype(np.float32))
    ]
    expect_matches_reference(
        "sigmoid_cross_entropy", answer.sigmoid_cross_entropy, reference.sigmoid_cross_entropy, cases,
        "its gradient with respect to the logits is σ(x) - y at every logit, 0 included",
    )


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_discriminator_loss_matches_the_contract_in_values_and_gradients(answer, reference):
    """Also with real and fake batches of different sizes, and float64 logits (losses stay float32).
    Every real batch meets every kind of fake batch once, and each with every smoothing value in turn
    (so every real batch and every kind of fake batch is seen with 0, 0.1 and 0.25)."""
    rng = np.random.default_rng(2)
    smoothings = (0.0, 0.1, 0.25)
    cases = [
        Case(f"real={fmt(real)}, fake={fmt(fake)}, real_smoothing={s}", (real, fake), {"real_smoothing": s}, wrt=(0, 1))
        for i, real in enumerate(logits_cases(3))
        for j, fake in enumerate((-real, rng.permutation(real), rng.normal(0, 4, 2 * len(real) + 1).astype(np.float64)))
        for s in (smoothings[(i + j) % 3],)
    ]
    expect_matches_reference(
        "discriminator_loss", answer.discriminator_loss, reference.discriminator_loss, cases,
        "mean over the real batch of bce(real, 1 - real_smoothing) plus mean over the fake batch of bce(fake, 0), "
        "a float32 scalar with each term's gradient intact", same_dtype=True,
    )


@pytest.mark.hint(4)
def test_generator_loss_matches_the_contract_in_values_and_gradients(answer, reference):
    cases = [Case(f"fake={fmt(fake)}", (fake,), wrt=(0,)) for x in logits_cases(4) for fake in (x, x.astype(np.float64))]
    expect_matches_reference(
        "generator_loss", answer.generator_loss, reference.generator_loss, cases,
        "mean over the batch of bce(fake, 1), a float32 scalar: gradient (σ(x) - 1) / batch per logit", same_dtype=True,
    )
