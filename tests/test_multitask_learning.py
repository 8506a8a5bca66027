"""Checks for multitask_learning: targets and heads, the task losses, fixed and learned (uncertainty)
loss weighting, gradients from each task into the shared encoder, the training step, and learning.

The pure functions (image_targets, task_losses, fixed_weight_loss, UncertaintyWeighting) are
compared with the reference on many inputs, in values and gradients; the training step is checked
against the gradient of the contract's loss with SGD. Both run on a "probe": the answer's own
MultiTaskModel with a fixed pattern added to each of its two outputs when it is called with
training=True, so that what a function passes as ``training`` shows in its result.
"""

import functools

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_one_update,
    expect_scalar,
    expect_sgd_update,
    expect_shape,
    fmt,
    once_per_answer,
    rewind,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 80
LEARNING_CHECKPOINT = 20  # the held-out losses are measured every 20 train_step calls; the run stops at the first that passes
STEP_LEARNING_RATE = 1.0  # large, so that even the smallest gradients move float32 weights by many ulps
STEP_LOG_VARS = [0.3, -0.2]  # non-default log-variances, so that the weighting shows in the step
PROBE = "your MultiTaskModel, plus a fixed pattern on each output when training=True"
FEATURE_SHIFT = np.sin(np.arange(49, dtype=np.float32))  # what the probe adds to the features in training
LOGIT_SHIFT = 2.0 * np.cos(np.arange(6 * VOCAB, dtype=np.float32)).reshape(6, VOCAB)  # and to the logits


@functools.cache
def batch(n: int = 8, seed: int = 0) -> tuple[tf.Tensor, tf.Tensor]:
    """``n`` toy (images, captions) as tensors (made once: rendering costs)."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


def shifted_in_training(output, training, pattern: np.ndarray):
    """``output + pattern`` when ``training`` is true (a Python bool or a boolean tensor), else ``output``."""
    if training is None or isinstance(training, bool):
        return output + pattern if training else output
    return output + tf.cast(training, output.dtype) * pattern


def with_training_shift(model_class: type) -> type:
    """``model_class`` whose two methods add a fixed pattern to their output when called with
    training=True: a deterministic model whose outputs (and the losses' gradients) depend on
    ``training``, as those of a model with Dropout or BatchNorm do."""

    class Probe(model_class):
        def image_features_from_text(self, captions, training=False):
            features = super().image_features_from_text(captions, training=training)
            return shifted_in_training(features, training, FEATURE_SHIFT)

        def caption_logits_from_image(self, images, training=False):
            logits = super().caption_logits_from_image(images, training=training)
            return shifted_in_training(logits, training, LOGIT_SHIFT)

    return Probe


@once_per_answer
def fresh_probe(answer) -> tuple[keras.Model, object, object]:
    """One probe per answer, and what its two methods returned on their first calls, with the default
    training=False (where the probe adds nothing: the answer's own fresh MultiTaskModel(VOCAB)), on
    the 8 toy examples of ``batch(8)``. Building one model serves every check that only reads it."""
    images, captions = batch(8)
    model = with_training_shift(answer.MultiTaskModel)(VOCAB)
    return model, model.image_features_from_text(captions), model.caption_logits_from_image(images)


def probe_model(answer) -> keras.Model:
    """The answer's built probe, for the checks that only read the model."""
    return fresh_probe(answer)[0]


def fresh_weighting(answer, num_tasks: int):
    """``answer.UncertaintyWeighting(num_tasks)``, whose ``.log_vars`` must exist and have shape (num_tasks,)."""
    call = f"UncertaintyWeighting({num_tasks})"
    weighting = answer.UncertaintyWeighting(num_tasks)
    if not hasattr(weighting, "log_vars"):
        raise AssertionError(f"{call} has no attribute .log_vars; create it in __init__ (add_weight(shape=(num_tasks,)))")
    expect_shape(weighting.log_vars, (num_tasks,), f"{call}.log_vars")
    return weighting


def weighting_with(answer, log_vars: list[float]):
    """A weighting for ``len(log_vars)`` tasks with its log-variances set to ``log_vars``."""
    weighting = fresh_weighting(answer, len(log_vars))
    weighting.log_vars.assign(np.asarray(log_vars, np.float32))
    return weighting


def mean_cross_entropy(logits, ids) -> float:
    x = np.asarray(logits, np.float64)
    x = x - x.max(axis=-1, keepdims=True)
    log_probs = x - np.log(np.exp(x).sum(axis=-1, keepdims=True))
    return float(-np.mean(np.take_along_axis(log_probs, np.asarray(ids)[..., None], axis=-1)))


# --- image_targets -----------------------------------------------------------------------------


@pytest.mark.hint(4)
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


def image_cases(seed: int) -> list[np.ndarray]:
    """Images from one example to a batch: blank, a single bright pixel, huge values, toy images."""
    rng = np.random.default_rng(seed)
    dot = np.zeros((1, 28, 28, 1), np.float32)
    dot[0, 9, 22] = 1.0  # inside block (2, 5), off its centre
    return [
        np.zeros((1, 28, 28, 1), np.float32),
        dot,
        np.full((2, 28, 28, 1), 1e3, np.float32) * rng.uniform(0, 1, (2, 28, 28, 1)).astype(np.float32),
        toy_data.make_batch(8, seed).images,
    ]


@pytest.mark.hint(4)
def test_image_targets_match_the_contract_in_values_and_gradients(answer, reference):
    cases = [Case(f"images {images.shape} in [{images.min():.3g}, {images.max():.3g}]", (images,), wrt=(0,))
             for images in image_cases(5)]
    expect_matches_reference("image_targets", answer.image_targets, reference.image_targets, cases,
                             "the mean of each 4x4 block, flattened row by row: every pixel of a block counts 1/16")


# --- the model ---------------------------------------------------------------------------------


@pytest.mark.hint(5)
def test_model_returns_features_and_caption_logits(answer):
    _, features, logits = fresh_probe(answer)  # a fresh model's first calls, with training=False
    call = "MultiTaskModel(vocab).image_features_from_text(captions (8, 6))"
    expect_finite(expect_shape(features, (8, 49), call), call)
    call = "MultiTaskModel(vocab).caption_logits_from_image(images (8, 28, 28, 1))"
    expect_finite(expect_shape(logits, (8, 6, VOCAB), call), call)


@pytest.mark.hint(5)
def test_caption_head_returns_logits_not_probabilities(answer):
    images, _ = batch(8)
    model = probe_model(answer)
    call = "model.caption_logits_from_image(images (8, 28, 28, 1))"
    logits = expect_shape(model.caption_logits_from_image(images), (8, 6, VOCAB), call)
    if logits.min() >= 0.0 and np.allclose(logits.sum(axis=-1), 1.0, atol=1e-4):
        raise AssertionError(f"{call} returned probabilities (every position sums to 1 over the vocabulary); "
                             "expected logits, raw scores without a softmax (the cross-entropy applies it)")


@pytest.mark.hint(1)
def test_each_output_depends_on_its_input(answer):
    model = probe_model(answer)
    (images, captions), (other_images, other_captions) = batch(8, seed=0), batch(8, seed=1)
    for call, first, second in (
        ("image_features_from_text(captions)", model.image_features_from_text(captions),
         model.image_features_from_text(other_captions)),
        ("caption_logits_from_image(images)", model.caption_logits_from_image(images),
         model.caption_logits_from_image(other_images)),
    ):
        if np.allclose(as_array(first, call), as_array(second, call), atol=1e-6, rtol=0.0):
            raise AssertionError(f"model.{call} returned the same values for two different batches of 8 toy examples; "
                                 "each output must depend on its input")


# --- task_losses -------------------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_task_losses_match_their_formulas(answer):
    images, captions = batch(8)
    model = probe_model(answer)
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


def replaying(model: keras.Model, task_losses):
    """``task_losses(model, images, captions, training)`` as a function of the batch, each call starting
    from the model's state now (the same Dropout masks and BatchNorm statistics every time)."""
    back = rewind(model)

    def call(images, captions, training=False):
        if training:
            back()
        return task_losses(model, images, tf.constant(captions), training=training)

    return call


def caption_cases(seed: int) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """(images, captions, label): one toy example, blank images with all-padding captions, the largest id."""
    rng = np.random.default_rng(seed)
    toy = toy_data.make_batch(1, seed)
    return [
        (toy.images, toy.captions, "one toy example"),
        (np.zeros((4, 28, 28, 1), np.float32), np.zeros((4, 6), np.int32), "blank images, captions all padding (id 0)"),
        (rng.uniform(0, 1, (3, 28, 28, 1)).astype(np.float32), np.full((3, 6), VOCAB - 1, np.int32), f"random images, every id {VOCAB - 1}"),
    ]


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_task_losses_match_the_contract_on_edge_cases(answer, reference):
    """Compared on the probe: the blank, all-padding batch with training=True (the probe's shift shows
    whether training is passed on), the others with training=False. Their gradients in the model's
    variables are checked by the training step's check; in the images, the contract leaves them free
    (targets are constants)."""
    model = probe_model(answer)
    cases = [
        Case(f"model, images {images.shape} ({label}), captions={fmt(captions)}, training={training}",
             (images, captions), {"training": training})
        # one training=True case shows it; each replays the probe, and its reseeding makes later ops set up again
        for (images, captions, label), training in zip(caption_cases(6), (False, True, False), strict=True)
    ]
    expect_matches_reference(
        "task_losses", replaying(model, answer.task_losses), replaying(model, reference.task_losses), cases,
        f"model: {PROBE}; (mean squared error of image_features_from_text(captions, training) against image_targets(images), "
        "mean cross-entropy of caption_logits_from_image(images, training) over every position, padding included)",
        atol=1e-6, rtol=1e-4,
    )


# --- fixed weights -----------------------------------------------------------------------------


@pytest.mark.hint(7)
def test_fixed_weight_loss_is_the_weighted_sum(answer):
    call = "fixed_weight_loss([2.0, 3.0], [0.25, 2.0])"
    value = expect_scalar(answer.fixed_weight_loss([tf.constant(2.0), tf.constant(3.0)], [0.25, 2.0]), call)
    expect_close(value, 0.25 * 2.0 + 2.0 * 3.0, call, "0.25 * 2 + 2 * 3")


def as_loss_list(function):
    """``function(losses, ...)`` called with a list of scalar tensors, taken from one vector (so that
    the differential check can follow the gradient to every loss)."""

    def call(losses, *args):
        return function(list(tf.unstack(losses)), *args)

    return call


def task_loss_cases(seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(losses, per-task numbers) for 1, 2, 3 and 5 tasks: zeros, huge values, random; the numbers
    (weights or log-variances) go from 0 to ±5."""
    rng = np.random.default_rng(seed)
    return [
        (np.array([1.5], np.float32), np.array([0.7], np.float32)),
        (np.zeros(2, np.float32), np.array([5.0, -5.0], np.float32)),
        (np.array([1e4, 0.0, 7.0], np.float32), np.array([0.0, 2.5, -5.0], np.float32)),
        (rng.uniform(0, 5, 5).astype(np.float32), rng.normal(0, 2, 5).astype(np.float32)),
    ]


@pytest.mark.hint(7)
def test_fixed_weight_loss_matches_the_contract_for_any_number_of_tasks(answer, reference):
    cases = []
    for losses, numbers in task_loss_cases(7):
        weights = [round(abs(float(number)), 3) for number in numbers]  # plain floats, 0 to 5
        cases.append(Case(f"losses={fmt(losses)}, weights={weights}", (losses, weights), wrt=(0,)))
    expect_matches_reference("fixed_weight_loss", as_loss_list(answer.fixed_weight_loss),
                             as_loss_list(reference.fixed_weight_loss), cases,
                             "sum_i weights[i] * losses[i] over every task, gradient weights[i] for losses[i]")


# --- uncertainty weighting ---------------------------------------------------------------------


@pytest.mark.hint(3)
def test_uncertainty_weighting_has_one_zero_log_variance_per_task(answer):
    for num_tasks in (1, 2, 3):
        weighting = fresh_weighting(answer, num_tasks)
        expect_close(weighting.log_vars, np.zeros(num_tasks), f"UncertaintyWeighting({num_tasks}).log_vars", "initialised to zeros")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_uncertainty_weighting_with_zero_log_variances_is_the_plain_sum(answer):
    weighting = fresh_weighting(answer, 2)
    expect_close(weighting.log_vars, [0.0, 0.0], "UncertaintyWeighting(2).log_vars", "initialised to zeros")
    call = "UncertaintyWeighting(2)([2.0, 3.0]) with log_vars = [0, 0]"
    expect_close(expect_scalar(weighting([tf.constant(2.0), tf.constant(3.0)]), call), 5.0, call, "exp(0) * 2 + 0 + exp(0) * 3 + 0")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_uncertainty_weighting_matches_the_formula(answer):
    weighting = weighting_with(answer, [0.5, -1.0])
    call = "UncertaintyWeighting(2)([2.0, 3.0]) with log_vars = [0.5, -1.0]"
    expected = np.exp(-0.5) * 2.0 + 0.5 + np.exp(1.0) * 3.0 - 1.0
    expect_close(expect_scalar(weighting([tf.constant(2.0), tf.constant(3.0)]), call), expected, call,
                 "sum of exp(-s_i) * L_i + s_i", atol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_uncertainty_weighting_log_variances_are_trainable(answer):
    weighting = fresh_weighting(answer, 2)
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


def weighted_with_its_gradient(answer):
    """``(losses, log_vars) -> {value, d value / d log_vars}`` for ``answer.UncertaintyWeighting``: the
    gradient in the log-variances becomes an output, so both gradients are compared."""

    def call(losses, log_vars):
        weighting = weighting_with(answer, list(log_vars))
        with tf.GradientTape() as tape:
            value = weighting(list(tf.unstack(losses)))
        grad = tape.gradient(value, weighting.log_vars, unconnected_gradients=tf.UnconnectedGradients.ZERO)
        return {"value": value, "d value / d log_vars": grad}

    return call


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_uncertainty_weighting_matches_the_contract_in_values_and_gradients(answer, reference):
    cases = [Case(f"losses={fmt(losses)}, log_vars={fmt(log_vars)}", (losses, log_vars), wrt=(0,))
             for losses, log_vars in task_loss_cases(8)]
    expect_matches_reference(
        "UncertaintyWeighting(len(losses))", weighted_with_its_gradient(answer), weighted_with_its_gradient(reference), cases,
        "sum_i exp(-s_i) * L_i + s_i over every task: gradient exp(-s_i) in L_i and -exp(-s_i) * L_i + 1 in s_i",
    )


# --- the shared encoder and the training step --------------------------------------------------


@pytest.mark.points(3)
@pytest.mark.hint(1)
def test_each_task_alone_sends_gradients_to_the_shared_encoder(answer):
    images, captions = batch(8)
    model = probe_model(answer)
    shared = model.shared.trainable_variables
    if not shared:
        raise AssertionError("model.shared has no trainable variables; it must be the encoder both tasks pass through")
    with tf.GradientTape(persistent=True) as tape:
        losses = answer.task_losses(model, images, captions, training=True)
    for index, task in ((0, "feature_loss (text -> image)"), (1, "caption_loss (image -> text)")):
        grads = tape.gradient(losses[index], shared)
        size = sum(float(np.abs(as_array(g, "gradient")).sum()) for g in grads if g is not None)
        if size == 0.0:
            raise AssertionError(f"the gradient of {task} alone with respect to model.shared.trainable_variables was zero "
                                 "or None; each task must reach the shared encoder (is one branch detached?)")


def contract_step_loss(reference, model, weighting, images, captions, seen: dict):
    """The contract's loss of one train_step: sum_i exp(-s_i) * L_i + s_i over the two losses of
    task_losses(model, images, captions, training=True), with s = weighting.log_vars; ``seen`` keeps
    the task losses' values."""
    feature_loss, caption_loss = reference.task_losses(model, images, captions, training=True)
    seen.update(feature_loss=float(feature_loss), caption_loss=float(caption_loss))
    s = weighting.log_vars
    return tf.reduce_sum(tf.exp(-s) * tf.stack([feature_loss, caption_loss]) + s)


@pytest.mark.points(3)
@pytest.mark.hint(2)
def test_train_step_applies_one_sgd_update_of_the_weighted_loss(answer, reference):
    """With log_vars = STEP_LOG_VARS and SGD, one train_step on the probe must return the weighted
    loss and both task losses (training=True, before the update) and move every trainable variable
    of the model and weighting.log_vars by -learning_rate times the weighted loss's gradient."""
    images, captions = batch(16, seed=2)
    model, weighting = probe_model(answer), weighting_with(answer, STEP_LOG_VARS)
    variables = model.trainable_variables + [weighting.log_vars]
    back = rewind(model, weighting)
    before = snapshot(variables)
    seen: dict[str, float] = {}
    expected, gradients = contract_gradients(
        lambda: contract_step_loss(reference, model, weighting, images, captions, seen), variables)
    back()
    optimizer = keras.optimizers.SGD(STEP_LEARNING_RATE)
    call = f"train_step({PROBE}, UncertaintyWeighting(2) with log_vars={STEP_LOG_VARS}, SGD({STEP_LEARNING_RATE}), images, captions)"
    try:
        out = answer.train_step(model, weighting, optimizer, images, captions)
        if not isinstance(out, dict) or not {"loss", "feature_loss", "caption_loss"} <= set(out):
            raise AssertionError(f"{call} returned {type(out).__name__}; expected a dict with 'loss', 'feature_loss' and 'caption_loss'")
        for key, wanted, why in (
            ("feature_loss", seen["feature_loss"], "task_losses(model, images, captions, training=True)[0], before the update"),
            ("caption_loss", seen["caption_loss"], "task_losses(model, images, captions, training=True)[1], before the update"),
            ("loss", expected, "weighting([feature_loss, caption_loss]) = sum_i exp(-s_i) * L_i + s_i, before the update"),
        ):
            expect_close(expect_scalar(out[key], f"{call}['{key}']"), wanted, f"{call}['{key}']", why, atol=1e-5, rtol=1e-4)
        expect_sgd_update(variables, before, gradients, STEP_LEARNING_RATE, call, "the weighted loss")
        expect_one_update(optimizer, call)
    finally:
        back()  # the probe is shared with the other checks


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(2)
def test_training_lowers_both_task_losses(answer):
    """The docstring's learning check: up to 80 train_step calls (Adam(3e-3), batches of 64 drawn from 512 toy
    examples); every 20 calls, task_losses on 128 held-out examples. It passes at the first of those measurements
    where the feature_loss is below 0.75 x that of predicting the mean image and the caption_loss below half of
    what it was before training."""
    data = toy_data.make_batch(512, seed=3)
    images, captions = data.images, data.captions
    held_images, held_captions = batch(128, seed=4)
    model, weighting = answer.MultiTaskModel(VOCAB), answer.UncertaintyWeighting(2)

    def held_out() -> list[float]:
        return [expect_scalar(v, "task_losses(model, held-out images, captions)") for v in answer.task_losses(model, held_images, held_captions)]

    start = held_out()  # running both tasks also makes the model's variables
    optimizer = FusedAdam(3e-3)
    # Every variable the step updates exists now (the weighting's log_vars since __init__): building the optimizer's
    # slots lets the compiled step be traced once, not twice. (ready_to_compile cannot tell: a model whose methods
    # were called, but not the model itself, is not marked built.)
    optimizer.build(model.trainable_variables + weighting.trainable_variables)
    step = compiled(answer.train_step, ready=True)
    targets = as_array(answer.image_targets(held_images), "image_targets(images)")
    mean_image = float(np.mean((targets - targets.mean(axis=0)) ** 2))  # the best a caption-blind regressor can do
    rng = np.random.default_rng(0)
    for _ in range(LEARNING_STEPS // LEARNING_CHECKPOINT):
        for _ in range(LEARNING_CHECKPOINT):
            idx = rng.choice(len(images), 64, replace=False)
            step(model, weighting, optimizer, tf.constant(images[idx]), tf.constant(captions[idx]))
        end = held_out()
        if end[0] < 0.75 * mean_image and end[1] < 0.5 * start[1]:
            return
    if not end[0] < 0.75 * mean_image:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls the held-out feature_loss went from {start[0]:.4f} to {end[0]:.4f}; expected "
            f"below {0.75 * mean_image:.4f} (measured every {LEARNING_CHECKPOINT} calls), clearly better than predicting the mean "
            f"image ({mean_image:.4f}) for every caption")
    raise AssertionError(
        f"after {LEARNING_STEPS} train_step calls the held-out caption_loss went from {start[1]:.4f} to {end[1]:.4f}; "
        f"expected it to halve at least (measured every {LEARNING_CHECKPOINT} calls; both tasks must learn through the "
        "shared encoder)")
