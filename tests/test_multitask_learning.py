"""Checks for multitask_learning: targets and heads, the task losses, fixed and learned (uncertainty)
loss weighting, gradients from each task into the shared encoder, the training step, and learning."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    changed,
    compiled,
    expect_close,
    expect_finite,
    expect_scalar,
    expect_shape,
    ready_to_compile,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 80


def batch(n: int = 8, seed: int = 0):
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


def built_model(answer, images, captions):
    """A model whose variables exist: both tasks have been run once."""
    model = answer.MultiTaskModel(VOCAB)
    model.image_features_from_text(captions), model.caption_logits_from_image(images)
    return model


def weighting_with(answer, log_vars):
    weighting = answer.UncertaintyWeighting(len(log_vars))
    weighting.log_vars.assign(np.asarray(log_vars, np.float32))
    return weighting


def mean_cross_entropy(logits, ids) -> float:
    x = np.asarray(logits, np.float64)
    x = x - x.max(axis=-1, keepdims=True)
    log_probs = x - np.log(np.exp(x).sum(axis=-1, keepdims=True))
    return float(-np.mean(np.take_along_axis(log_probs, np.asarray(ids)[..., None], axis=-1)))


def test_image_targets_average_4x4_blocks(answer):
    images = np.zeros((2, 28, 28, 1), np.float32)
    images[0, :4, :4] = 1.0          # block (0, 0) full
    images[0, 4:6, 24:28] = 1.0      # block (1, 6) half
    images[1] = np.arange(28, dtype=np.float32)[None, :, None] / 28.0  # brightness grows with the column
    call = "image_targets(images (2, 28, 28, 1))"
    out = expect_shape(answer.image_targets(tf.constant(images)), (2, 49), call)
    expected = np.zeros((2, 49))
    expected[0, 0], expected[0, 1 * 7 + 6] = 1.0, 0.5
    expected[1] = np.tile((np.arange(7) * 4 + 1.5) / 28.0, 7)
    expect_close(out, expected, call, "the mean of each 4x4 block on a 7x7 grid, flattened row by row", atol=1e-5)


def test_model_returns_features_and_caption_logits(answer):
    images, captions = batch(8)
    model = answer.MultiTaskModel(VOCAB)
    call = "MultiTaskModel(vocab).image_features_from_text(captions (8, 6))"
    expect_finite(expect_shape(model.image_features_from_text(captions), (8, 49), call), call)
    call = "MultiTaskModel(vocab).caption_logits_from_image(images (8, 28, 28, 1))"
    expect_finite(expect_shape(model.caption_logits_from_image(images), (8, 6, VOCAB), call), call)


@pytest.mark.points(2)
def test_task_losses_match_their_formulas(answer):
    images, captions = batch(8)
    model = built_model(answer, images, captions)
    out = answer.task_losses(model, images, captions)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise AssertionError(f"task_losses(model, images, captions) returned {type(out).__name__}; expected (feature_loss, caption_loss)")
    features = as_array(model.image_features_from_text(captions), "model.image_features_from_text(captions)")
    targets = as_array(answer.image_targets(images), "image_targets(images)")
    logits = as_array(model.caption_logits_from_image(images), "model.caption_logits_from_image(images)")
    expect_close(expect_scalar(out[0], "task_losses(...)[0]"), np.mean((features - targets) ** 2), "task_losses(...)[0] (feature_loss)",
                 "mean squared error of image_features_from_text(captions) against image_targets(images)", atol=1e-5)
    expect_close(expect_scalar(out[1], "task_losses(...)[1]"), mean_cross_entropy(logits, captions.numpy()), "task_losses(...)[1] (caption_loss)",
                 "mean cross-entropy of caption_logits_from_image(images) against the caption ids, all 6 positions", atol=1e-4)


def test_fixed_weight_loss_is_the_weighted_sum(answer):
    call = "fixed_weight_loss([2.0, 3.0], [0.25, 2.0])"
    value = expect_scalar(answer.fixed_weight_loss([tf.constant(2.0), tf.constant(3.0)], [0.25, 2.0]), call)
    expect_close(value, 0.25 * 2.0 + 2.0 * 3.0, call, "0.25 * 2 + 2 * 3")


@pytest.mark.points(2)
def test_uncertainty_weighting_with_zero_log_variances_is_the_plain_sum(answer):
    weighting = answer.UncertaintyWeighting(2)
    expect_close(weighting.log_vars, [0.0, 0.0], "UncertaintyWeighting(2).log_vars", "initialised to zeros")
    call = "UncertaintyWeighting(2)([2.0, 3.0]) with log_vars = [0, 0]"
    expect_close(expect_scalar(weighting([tf.constant(2.0), tf.constant(3.0)]), call), 5.0, call, "exp(0) * 2 + 0 + exp(0) * 3 + 0")


@pytest.mark.points(2)
def test_uncertainty_weighting_matches_the_formula(answer):
    weighting = weighting_with(answer, [0.5, -1.0])
    call = "UncertaintyWeighting(2)([2.0, 3.0]) with log_vars = [0.5, -1.0]"
    expected = np.exp(-0.5) * 2.0 + 0.5 + np.exp(1.0) * 3.0 - 1.0
    expect_close(expect_scalar(weighting([tf.constant(2.0), tf.constant(3.0)]), call), expected, call,
                 "sum of exp(-s_i) * L_i + s_i", atol=1e-5)


@pytest.mark.points(2)
def test_uncertainty_weighting_log_variances_are_trainable(answer):
    weighting = answer.UncertaintyWeighting(2)
    trainable = {id(v) for v in weighting.trainable_variables}
    if id(weighting.log_vars) not in trainable:
        raise AssertionError("UncertaintyWeighting(2).log_vars is not among weighting.trainable_variables; "
                             "the log-variances must be trainable so that the optimizer can learn them")
    with tf.GradientTape() as tape:
        value = weighting([tf.constant(2.0), tf.constant(0.5)])
    grad = tape.gradient(value, weighting.log_vars)
    expected = [-2.0 + 1.0, -0.5 + 1.0]
    expect_close(as_array(grad, "d weighting([2.0, 0.5]) / d log_vars") if grad is not None else np.zeros(2), expected,
                 "d UncertaintyWeighting(2)([2.0, 0.5]) / d log_vars at 0", "-exp(-s_i) * L_i + 1", atol=1e-5)


@pytest.mark.points(3)
def test_each_task_alone_sends_gradients_to_the_shared_encoder(answer):
    images, captions = batch(8)
    model = built_model(answer, images, captions)
    shared = model.shared.trainable_variables
    if not shared:
        raise AssertionError("model.shared has no trainable variables; it must be the encoder both tasks pass through")
    for index, task in ((0, "feature_loss (text -> image)"), (1, "caption_loss (image -> text)")):
        with tf.GradientTape() as tape:
            loss = answer.task_losses(model, images, captions, training=True)[index]
        grads = tape.gradient(loss, shared)
        size = sum(float(np.abs(as_array(g, "gradient")).sum()) for g in grads if g is not None)
        if size == 0.0:
            raise AssertionError(f"the gradient of {task} alone with respect to model.shared.trainable_variables was zero "
                                 "or None; each task must reach the shared encoder (is one branch detached?)")


@pytest.mark.points(2)
def test_train_step_updates_shared_encoder_heads_and_log_variances(answer):
    images, captions = batch(16)
    model, weighting = built_model(answer, images, captions), answer.UncertaintyWeighting(2)
    parts = {"model.shared": model.shared, "model.feature_head": model.feature_head, "model.caption_head": model.caption_head}
    before = {name: snapshot(part.trainable_variables) for name, part in parts.items()}
    log_vars = snapshot([weighting.log_vars])
    out = answer.train_step(model, weighting, keras.optimizers.Adam(1e-2), images, captions)
    if not isinstance(out, dict) or not {"loss", "feature_loss", "caption_loss"} <= set(out):
        raise AssertionError(f"train_step returned {type(out).__name__}; expected a dict with 'loss', 'feature_loss' and 'caption_loss'")
    for name, part in parts.items():
        if not part.trainable_variables or not any(changed(before[name], part.trainable_variables)):
            raise AssertionError(f"train_step left every weight of {name} unchanged; the step must update it")
    if not any(changed(log_vars, [weighting.log_vars])):
        raise AssertionError("train_step left weighting.log_vars unchanged; apply the gradients to the weighting's variables too")


def test_train_step_reports_the_weighted_loss(answer):
    images, captions = batch(16)
    model, weighting = built_model(answer, images, captions), weighting_with(answer, [0.5, -0.25])
    feature_loss, caption_loss = (expect_scalar(v, "task_losses(...)") for v in answer.task_losses(model, images, captions, training=True))
    out = answer.train_step(model, weighting, keras.optimizers.Adam(1e-3), images, captions)
    expect_close(expect_scalar(out["feature_loss"], "train_step(...)['feature_loss']"), feature_loss, "train_step(...)['feature_loss']",
                 "the feature loss before the update", atol=1e-5)
    expect_close(expect_scalar(out["caption_loss"], "train_step(...)['caption_loss']"), caption_loss, "train_step(...)['caption_loss']",
                 "the caption loss before the update", atol=1e-5)
    expected = np.exp(-0.5) * feature_loss + 0.5 + np.exp(0.25) * caption_loss - 0.25
    expect_close(expect_scalar(out["loss"], "train_step(...)['loss']"), expected, "train_step(...)['loss'] with log_vars = [0.5, -0.25]",
                 "the uncertainty-weighted sum exp(-s_i) * L_i + s_i of the two losses", atol=1e-4)


@pytest.mark.training
@pytest.mark.points(3)
def test_training_lowers_both_task_losses(answer):
    data = toy_data.make_batch(512, seed=3)
    images, captions = data.images, data.captions
    held_images, held_captions = batch(128, seed=4)
    model, weighting = built_model(answer, held_images[:2], held_captions[:2]), answer.UncertaintyWeighting(2)
    optimizer = keras.optimizers.Adam(3e-3)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model, weighting))

    def held_out():
        return [expect_scalar(v, "task_losses(model, held-out images, captions)") for v in answer.task_losses(model, held_images, held_captions)]

    start = held_out()
    rng = np.random.default_rng(0)
    for _ in range(LEARNING_STEPS):
        idx = rng.choice(len(images), 64, replace=False)
        step(model, weighting, optimizer, tf.constant(images[idx]), tf.constant(captions[idx]))
    end = held_out()
    targets = as_array(answer.image_targets(held_images), "image_targets(images)")
    mean_image = float(np.mean((targets - targets.mean(axis=0)) ** 2))  # the best a caption-blind regressor can do
    if not end[0] < 0.75 * mean_image:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls the held-out feature_loss went from {start[0]:.4f} to {end[0]:.4f}; expected "
            f"below {0.75 * mean_image:.4f}, clearly better than predicting the mean image ({mean_image:.4f}) for every caption")
    if not end[1] < 0.5 * start[1]:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls the held-out caption_loss went from {start[1]:.4f} to {end[1]:.4f}; "
            "expected it to halve at least (both tasks must learn through the shared encoder)")
