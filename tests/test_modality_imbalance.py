"""Checks for modality_imbalance: balanced oversampling that keeps every rare sample, augmentation
that keeps the caption true, inverse-frequency weights, per-modality learning rates and their
decay, and gradient modulation that slows only the dominant modality."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    contract_gradients,
    expect_close,
    expect_in_range,
    expect_one_update,
    expect_sgd_update,
    expect_shape,
    once_per_answer,
    rewind,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference

GROUPS = np.array(["pair"] * 40 + ["text only"] * 25 + ["image only"] * 4)
RATES = {"image": 0.1, "text": 0.01, "head": 0.05}


def shuffled_groups(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(GROUPS)


def group_sets() -> list[tuple[str, object]]:
    """(description, groups) for the oversampling and weighting checks: strings and integers that are
    not 0..K-1, a list, a single group, a group of one, and two groups tied for the largest."""
    rng = np.random.default_rng(11)
    return [
        ("groups with 40 / 25 / 4 samples", shuffled_groups()),
        ("integer groups [7, 3, 3, 7, 3, 3, 3] (labels 3 and 7)", np.array([7, 3, 3, 7, 3, 3, 3])),
        ("the list ['b', 'a', 'b', 'b']", ["b", "a", "b", "b"]),
        ("one group of 5 samples", np.array(["only"] * 5)),
        ("a group of one next to a group of 6", rng.permutation([2] * 6 + [9])),
        ("two largest groups of 3 and a group of 1", rng.permutation(["x"] * 3 + ["y"] * 3 + ["z"])),
        ("40 groups of 1 to 9 samples (labels 0, 5, 10, ...)", rng.permutation(np.repeat(np.arange(0, 200, 5), rng.integers(1, 10, 40)))),
    ]


@functools.cache
def toy_inputs(n: int = 16, seed: int = 0):
    """Images, captions and the shape of each scene (0-3) as the label (made once: rendering costs)."""
    data = toy_data.make_batch(n, seed)
    labels = np.array([toy_data.SHAPES.index(s.shape) for s in data.scenes], np.int32)
    return {"image": tf.constant(data.images), "text": tf.constant(data.captions)}, tf.constant(labels)


def small_models(dropout: float = 0.0):
    """Tiny encoders (5 image and 3 text features, nonzero biases, so a blank input does not encode
    to 0) and a linear head over their concatenation; with ``dropout``, Dropout in the image encoder
    and before the head."""
    bias = keras.initializers.RandomNormal(stddev=0.5)
    image = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dropout(dropout),
                              keras.layers.Dense(5, activation="tanh", bias_initializer=bias)])
    text = keras.Sequential([keras.Input((toy_data.MAX_LEN,), dtype="int32"), keras.layers.Embedding(toy_data.VOCAB_SIZE, 3),
                             keras.layers.Flatten(), keras.layers.Dense(3, activation="tanh", bias_initializer=bias)])
    head = keras.Sequential([keras.Input((8,)), keras.layers.Dropout(dropout), keras.layers.Dense(4, bias_initializer=bias)])
    return {"image": image, "text": text}, head


# ----------------------------------------------------------------------------------------------
# Oversampling
# ----------------------------------------------------------------------------------------------

def oversampled(answer, groups, seed: int, what: str) -> tuple[np.ndarray, str]:
    """oversample_indices(groups, seed) as an array of indices into groups, and the call for messages."""
    call = f"oversample_indices({what}, seed={seed})"
    indices = as_array(answer.oversample_indices(groups, seed=seed), call)
    if indices.ndim != 1 or not np.issubdtype(indices.dtype, np.integer) or indices.size == 0 \
            or indices.min() < 0 or indices.max() >= len(groups):
        low, high = (indices.min(), indices.max()) if indices.size else ("-", "-")
        raise AssertionError(f"{call} returned {indices.dtype} values of shape {indices.shape} in [{low}, {high}]; "
                             f"expected a 1-D array of integer indices into groups (0 to {len(groups) - 1})")
    return indices, call


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_oversampling_balances_the_groups(answer):
    for what, groups in group_sets():
        labels = np.asarray(groups)
        counts = {g: int((labels == g).sum()) for g in np.unique(labels).tolist()}
        largest = max(counts.values())
        indices, call = oversampled(answer, groups, 0, what)
        if indices.shape != (len(counts) * largest,):
            raise AssertionError(f"{call} returned {indices.size} indices; expected K * largest = {len(counts)} * {largest}")
        got = {g: int((labels[indices] == g).sum()) for g in counts}
        if any(c != largest for c in got.values()):
            raise AssertionError(f"{call} gives group counts {got}; expected {largest} of each")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_oversampling_keeps_every_sample_and_the_largest_groups_once(answer):
    for seed in range(2):
        for what, groups in group_sets():
            labels = np.asarray(groups)
            indices, call = oversampled(answer, groups, seed, what)
            times = np.bincount(indices, minlength=len(labels))
            if (times == 0).any():
                missing = np.flatnonzero(times == 0)
                raise AssertionError(
                    f"{call} left out samples {missing[:8].tolist()} (groups {sorted(set(labels[missing].tolist()))}); "
                    "keep every sample once and draw only the extra entries with replacement"
                )
            _, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
            in_largest = counts[inverse] == counts.max()
            if (times[in_largest] != 1).any():
                sample = int(np.flatnonzero(in_largest & (times != 1))[0])
                raise AssertionError(f"{call} used sample {sample} of a largest group {times[sample]} times; "
                                     "expected each sample of a largest group exactly once")


@pytest.mark.hint(2)
def test_oversampling_draws_the_extras_uniformly_from_the_group(answer):
    """A group of 4 next to one of 400 gets 396 extras: each of its samples about 1 + 396 / 4 times."""
    groups = np.array(["many"] * 400 + ["few"] * 4)
    indices, call = oversampled(answer, groups, 5, "400 'many' and 4 'few'")
    times = np.bincount(indices, minlength=404)[400:]
    if times.min() < 60 or times.max() > 140:
        raise AssertionError(f"{call} uses the 4 'few' samples {times.tolist()} times; expected about 100 each "
                             "(once, plus 396 extras drawn uniformly with replacement from the group)")


@pytest.mark.hint(2)
def test_oversampling_shuffles_the_groups_together(answer):
    """In a shuffled order of 3 groups of 40, about a third of the 119 neighbours share a group."""
    groups = shuffled_groups(2)
    indices, call = oversampled(answer, groups, 1, "groups with 40 / 25 / 4 samples")
    order = groups[indices]
    same = int((order[1:] == order[:-1]).sum())
    if same > 65:
        raise AssertionError(f"{call}: {same} of {len(order) - 1} neighbouring entries share a group; expected about 39 "
                             f"for a shuffled result (the groups in order: {order[:6].tolist()} ...). Shuffle the whole result")


@pytest.mark.hint(4)
def test_oversampling_is_deterministic_for_a_seed(answer):
    groups = shuffled_groups()
    first = as_array(answer.oversample_indices(groups, seed=3), "oversample_indices(groups, seed=3)")
    if not np.array_equal(first, as_array(answer.oversample_indices(groups, seed=3), "again")):
        raise AssertionError("oversample_indices(groups, seed=3) gave different indices on a second call; use np.random.default_rng(seed)")
    if np.array_equal(first, as_array(answer.oversample_indices(groups, seed=4), "seed=4")):
        raise AssertionError("oversample_indices gave the same indices for seeds 3 and 4; the seed must drive the draws")


# ----------------------------------------------------------------------------------------------
# Augmentation
# ----------------------------------------------------------------------------------------------

def shifted(images: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``images`` moved by dy rows down and dx columns right, vacated pixels 0."""
    out = np.zeros_like(images)
    h, w = images.shape[1:3]
    if abs(dy) < h and abs(dx) < w:
        out[:, max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
            images[:, max(-dy, 0):h + min(-dy, 0), max(-dx, 0):w + min(-dx, 0)]
    return out


def noiseless_offsets(answer, n: int, max_shift: int, seed: int) -> tuple[np.ndarray, str]:
    """The (dy, dx) of each image that augment_images(random images, noise_std=0) moved: (n, 2).

    Random pixel values make every shift tell: a wrapped-around edge, a flip or a blur is no
    zero-filled whole-pixel shift of the input, and fails here with the image's number."""
    images = np.random.default_rng(seed).uniform(0.05, 0.95, (n, 28, 28, 1)).astype(np.float32)
    call = f"augment_images(random images ({n}, 28, 28, 1), seed={seed}, max_shift={max_shift}, noise_std=0)"
    out = expect_shape(answer.augment_images(images, seed=seed, max_shift=max_shift, noise_std=0.0), (n, 28, 28, 1), call)
    offsets = np.full((n, 2), 99)
    reach = max_shift + 2
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            match = np.all(np.abs(out - shifted(images, dy, dx)) < 1e-6, axis=(1, 2, 3))
            offsets[match] = (dy, dx)
    lost = np.flatnonzero(offsets[:, 0] == 99)
    if lost.size:
        raise AssertionError(f"{call}: image {int(lost[0])} (and {lost.size - 1} more) is no whole-pixel shift of its input with "
                             "vacated pixels 0 (no wrap-around, flip, rotation or interpolation)")
    return offsets, call


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_augmentation_moves_each_image_by_a_zero_filled_shift_within_max_shift(answer):
    for max_shift, n in ((0, 8), (1, 64), (3, 200)):
        offsets, call = noiseless_offsets(answer, n, max_shift, seed=max_shift)
        if np.abs(offsets).max() > max_shift:
            worst = offsets[np.abs(offsets).max(axis=1).argmax()]
            raise AssertionError(f"{call} moved an image by (dy, dx) = {tuple(worst.tolist())}; "
                                 f"expected offsets in [{-max_shift}, {max_shift}]")


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_augmentation_draws_every_offset_in_range_for_each_image(answer):
    for max_shift, n in ((1, 64), (3, 200)):
        offsets, call = noiseless_offsets(answer, n, max_shift, seed=max_shift)
        if len({tuple(o) for o in offsets.tolist()}) == 1:
            raise AssertionError(f"{call} moved all {n} images by the same (dy, dx) = {tuple(offsets[0].tolist())}; "
                                 "draw an offset for each image")
        for axis, name in ((0, "rows (dy)"), (1, "columns (dx)")):
            seen = sorted(set(offsets[:, axis].tolist()))
            if seen != list(range(-max_shift, max_shift + 1)):
                raise AssertionError(f"{call}: the {n} images were moved along {name} by {seen} only; expected every "
                                     f"offset in [{-max_shift}, {max_shift}] to occur (both ends included)")


@pytest.mark.hint(5)
def test_augmentation_returns_float32_images_in_range(answer):
    images = toy_data.make_batch(16, 5).images
    call = "augment_images(images (16, 28, 28, 1), seed=1, noise_std=0.2)"
    out = answer.augment_images(images, seed=1, noise_std=0.2)
    array = expect_in_range(expect_shape(out, (16, 28, 28, 1), call), 0.0, 1.0, call)
    if array.dtype != np.float32:
        raise AssertionError(f"{call} returned dtype {array.dtype}; expected float32")


@pytest.mark.hint(4)
def test_augmentation_is_deterministic_for_a_seed(answer):
    images = toy_data.make_batch(16, 5).images
    call = "augment_images(images (16, 28, 28, 1), seed=1)"
    first = as_array(answer.augment_images(images, seed=1), call)
    if not np.array_equal(first, as_array(answer.augment_images(images, seed=1), call)):
        raise AssertionError(f"{call} gave different images on a second call; draw everything from the seed")
    if np.allclose(first, images):
        raise AssertionError(f"{call} returned the images unchanged; shift them and add a little noise")
    if np.array_equal(first, as_array(answer.augment_images(images, seed=2), "seed=2")):
        raise AssertionError("augment_images gave the same images for seeds 1 and 2; the seed must drive the draws")


def noise_of_a_grey_batch(answer, noise_std: float = 0.1) -> tuple[np.ndarray, str]:
    """What augment_images added to 64 images of constant 0.5 (max_shift=1), on the pixels that no
    shift can vacate: (64, 26, 26), the noise alone."""
    call = f"augment_images(64 images of constant 0.5, seed=4, max_shift=1, noise_std={noise_std})"
    out = expect_shape(answer.augment_images(np.full((64, 28, 28, 1), 0.5, np.float32), seed=4, max_shift=1,
                                             noise_std=noise_std), (64, 28, 28, 1), call)
    return out[:, 1:27, 1:27, 0].astype(np.float64) - 0.5, call


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_augmentation_noise_is_gaussian_with_std_noise_std(answer):
    """Gaussian noise of std 0.1: mean 0, std 0.1, and 4.6 % of the pixels beyond 2 std (uniform noise has none)."""
    noise, call = noise_of_a_grey_batch(answer)
    beyond = float((np.abs(noise) > 0.2).mean())
    if abs(noise.mean()) > 0.005 or abs(noise.std() - 0.1) > 0.005 or not 0.035 < beyond < 0.057:
        raise AssertionError(f"{call} added noise of mean {noise.mean():.4f} and std {noise.std():.4f}, with {beyond:.1%} of "
                             "the pixels beyond 2 std; expected Gaussian noise: mean 0, std 0.1, about 4.6% beyond 2 std")


@pytest.mark.hint(2)
def test_augmentation_noise_is_fresh_for_every_image(answer):
    noise, call = noise_of_a_grey_batch(answer)
    flat = noise.reshape(len(noise), -1)
    flat = (flat - flat.mean(axis=1, keepdims=True)) / np.maximum(flat.std(axis=1, keepdims=True), 1e-12)
    correlation = (flat[1:] * flat[:-1]).mean(axis=1)
    if np.abs(correlation).max() > 0.3:
        pair = int(np.abs(correlation).argmax())
        raise AssertionError(f"{call}: the noise of images {pair} and {pair + 1} has correlation {correlation[pair]:.2f}; "
                             "expected independent noise for every image (about 0)")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_augmentation_keeps_the_caption_true(answer):
    """The caption names the position, so the shape's centre must stay within max_shift pixels."""
    scenes = [s for s in toy_data.all_scenes() if "left" in s.position or "right" in s.position][:16]
    images = np.stack([toy_data.render(s) for s in scenes])
    augmented = as_array(answer.augment_images(images, seed=2, max_shift=2), "augment_images(images, seed=2, max_shift=2)")
    grid = np.mgrid[0:28, 0:28]

    def centres(batch):
        mask = batch[..., 0] > 0.5
        return np.stack([(grid * m).sum(axis=(1, 2)) / max(m.sum(), 1) for m in mask])

    moved = np.abs(centres(augmented) - centres(images)).max(axis=1)
    if moved.max() > 2.5:
        worst = int(moved.argmax())
        raise AssertionError(
            f"augment_images(..., max_shift=2) moved the shape of '{' '.join(scenes[worst].words)}' by {moved.max():.1f} "
            "pixels; expected at most 2. Flips and large moves make the caption's position wrong"
        )


# ----------------------------------------------------------------------------------------------
# Weights
# ----------------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_weights_are_inverse_to_frequency(answer):
    groups = shuffled_groups()
    call = "inverse_frequency_weights(groups 40 / 25 / 4)"
    weights = expect_shape(answer.inverse_frequency_weights(groups), (69,), call)
    counts = {g: int((groups == g).sum()) for g in set(groups)}
    expected = np.array([69 / (3 * counts[g]) for g in groups])
    expect_close(weights, expected, call, "n / (K * count): rarer groups weigh more")
    if weights.dtype != np.float32:
        raise AssertionError(f"{call} returned dtype {weights.dtype}; expected float32")


@pytest.mark.hint(2)
def test_weighted_total_equals_the_unweighted_count(answer):
    groups = shuffled_groups(1)
    weights = as_array(answer.inverse_frequency_weights(groups), "inverse_frequency_weights(groups)")
    expect_close(weights.sum(), len(groups), "sum(inverse_frequency_weights(groups))", "the weights sum to n = 69")
    for group in sorted(set(groups.tolist())):
        expect_close(weights[groups == group].sum(), len(groups) / 3, f"the total weight of group {group!r}", "n / K for every group")


@pytest.mark.hint(2)
def test_weights_match_the_contract_for_any_labels(answer, reference):
    cases = [Case(what, (groups,)) for what, groups in group_sets()]
    expect_matches_reference("inverse_frequency_weights", answer.inverse_frequency_weights, reference.inverse_frequency_weights,
                             cases, "n / (K * count), K the number of distinct labels, whatever the labels are", atol=1e-5)


# ----------------------------------------------------------------------------------------------
# Learning rates
# ----------------------------------------------------------------------------------------------

@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_schedule_gives_the_expected_rates(answer):
    steps = [0, 50, 100, 250]
    got = [answer.learning_rate_at(s, 0.1, 0.5, 100) for s in steps]
    expect_close(np.asarray(got, np.float64), [0.1 * 0.5 ** (s / 100) for s in steps],
                 f"[learning_rate_at(step, 0.1, 0.5, 100) for step in {steps}]", "0.1 * 0.5 ** (step / 100)", atol=1e-7)


@pytest.mark.hint(2)
def test_schedule_matches_the_contract_on_varied_arguments(answer, reference):
    cases = [
        Case(f"step={step}, base_rate={base}, decay_rate={decay}, decay_steps={every}", (step, base, decay, every))
        for step, base, decay, every in [(0, 3e-4, 0.9, 7), (1, 0.2, 0.1, 1), (13, 1e-3, 0.96, 1000), (37, 0.05, 0.5, 10),
                                         (500, 1.0, 1.0, 3), (2000, 0.3, 0.99, 50), (9, 2.0, 0.25, 4)]
    ]
    expect_matches_reference("learning_rate_at", answer.learning_rate_at, reference.learning_rate_at, cases,
                             "base_rate * decay_rate ** (step / decay_steps)", atol=1e-12, rtol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate(answer):
    """Each optimizer applies a known gradient at t = 0 and 1: each update must be
    -learning_rate_at(t, base, 0.3, 10) times the gradient (Adam or momentum would move it otherwise);
    after 25 updates its learning rate must be learning_rate_at(25, base, 0.3, 10)."""
    rates = dict(RATES)
    optimizers = answer.make_optimizers(dict(rates), decay_rate=0.3, decay_steps=10)
    call = f"make_optimizers({rates}, decay_rate=0.3, decay_steps=10)"
    if not isinstance(optimizers, dict) or set(optimizers) != set(rates):
        raise AssertionError(f"{call} returned {optimizers!r:.80}; expected a dict with the same keys")
    gradient = np.array([0.5, -2.0, 0.25], np.float32)
    for name, base in rates.items():
        optimizer, variable = optimizers[name], tf.Variable([1.0, -1.0, 0.5])
        for t in (0, 1):
            before = variable.numpy().copy()
            optimizer.apply_gradients([(tf.constant(gradient), variable)])
            rate = base * 0.3 ** (t / 10)
            expect_close(variable.numpy() - before, -rate * gradient,
                         f"{call}[{name!r}]: the update after {t} updates, of the gradient {gradient.tolist()}",
                         f"-learning_rate_at({t}, {base}, 0.3, 10) * gradient = -{rate:.4g} * gradient (plain SGD)",
                         atol=1e-7, rtol=1e-4)
        optimizer.iterations.assign(25)
        expect_close(float(optimizer.learning_rate), base * 0.3 ** 2.5, f"{call}[{name!r}].learning_rate after 25 updates",
                     f"learning_rate_at(25, {base}, 0.3, 10)", atol=1e-9, rtol=1e-4)


# ----------------------------------------------------------------------------------------------
# The training step
# ----------------------------------------------------------------------------------------------

STEP_WEIGHTS = np.random.default_rng(2).uniform(0.2, 3.0, 16).astype(np.float32)  # their sum is not 16
STEP_MODULATION = {"image": 0.25, "text": 0.6}


def contract_loss(encoders, head, inputs, labels, weights) -> tf.Tensor:
    """sum(w * CE) / sum(w) of head(concatenate([image features, text features])), the networks in training mode."""
    features = tf.concat([encoders["image"](inputs["image"], training=True), encoders["text"](inputs["text"], training=True)], -1)
    ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, head(features, training=True))
    w = tf.ones_like(ce) if weights is None else tf.constant(weights)
    return tf.reduce_sum(w * ce) / tf.reduce_sum(w)


@dataclass(frozen=True)
class Moved:
    """A variable's name and its value just after the answer's step (the two checked steps share the
    models, so each check reads the values its own step left, whichever step ran last)."""

    path: str
    value: np.ndarray

    def numpy(self) -> np.ndarray:
        return self.value


@once_per_answer
def step_models(answer) -> tuple[dict, keras.Model, Callable[[], None]]:
    """The encoders and head (with Dropout) that both checked steps of an answer start from, and the
    function that puts them back in their first state (weights and Dropout seed states)."""
    encoders, head = small_models(dropout=0.3)
    return encoders, head, rewind(head, *encoders.values(), reseed=False)


def checked_step(answer, weights, modulation) -> dict:
    """One train_step with SGD at RATES on the step models in their first state, after computing the
    contract's loss and its gradient on the same forward pass (restoring the first state replays the
    Dropout masks).
    Returns the answer's result, the contract's loss, and per part: its variables as the step left
    them, their values before, their gradients, and its optimizer."""
    encoders, head, first_state = step_models(answer)
    first_state()
    inputs, labels = toy_inputs()
    models = {"image": encoders["image"], "text": encoders["text"], "head": head}
    variables = {k: m.trainable_variables for k, m in models.items()}
    flat = [v for k in models for v in variables[k]]
    loss, flat_grads = contract_gradients(lambda: contract_loss(encoders, head, inputs, labels, weights), flat)
    first_state()
    before = snapshot(flat)
    optimizers = {k: keras.optimizers.SGD(rate) for k, rate in RATES.items()}
    got = answer.train_step(encoders, head, optimizers, inputs, labels,
                            None if weights is None else tf.constant(weights), modulation)
    after = [Moved(getattr(v, "path", None) or v.name, value) for v, value in zip(flat, snapshot(flat))]
    parts, start = {}, 0
    for k in models:
        end = start + len(variables[k])
        parts[k] = (after[start:end], before[start:end], flat_grads[start:end], optimizers[k])
        start = end
    return {"returned": got, "loss": loss, "parts": parts}


@once_per_answer
def plain_step(answer) -> dict:
    return checked_step(answer, None, None)


@once_per_answer
def weighted_modulated_step(answer) -> dict:
    return checked_step(answer, STEP_WEIGHTS, STEP_MODULATION)


def expect_part_updates(step: dict, call: str, loss: str, modulation: dict | None) -> None:
    """Each part moved once, by -RATES[part] (times modulation[part] for an encoder) times its gradient of the loss."""
    for name, (variables, before, gradients, optimizer) in step["parts"].items():
        scale = 1.0 if modulation is None or name == "head" else modulation[name]
        rate = f"rate {RATES[name]}" + (f" × modulation {scale}" if name != "head" and modulation else "")
        expect_sgd_update(variables, before, gradients, RATES[name] * scale, f"{call} on the {name} part ({rate})", loss)
        expect_one_update(optimizer, f"{call}, optimizers[{name!r}]")


@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_train_step_applies_one_sgd_update_of_the_cross_entropy_to_each_part(answer):
    """Without weights or modulation: every trainable variable of each encoder and of the head moves by
    -rate × the gradient of the mean cross-entropy of head(concatenate([image, text] features)), each
    part with its own optimizer, the networks in training mode (Dropout replays the same masks)."""
    expect_part_updates(plain_step(answer), f"train_step(encoders, head, SGD optimizers at {RATES}, inputs, labels)",
                        "the mean cross-entropy (networks called with training=True)", None)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_train_step_applies_the_weighted_loss_and_modulates_only_the_encoders(answer):
    """With weights whose sum is not the batch size and modulation {'image': 0.25, 'text': 0.6}: each
    encoder moves by rate × modulation × the gradient of sum(w * CE) / sum(w), the head by its rate alone."""
    call = f"train_step(..., weights (16,) summing to {STEP_WEIGHTS.sum():.3g}, modulation={STEP_MODULATION})"
    expect_part_updates(weighted_modulated_step(answer), call, "sum(w * CE) / sum(w)", STEP_MODULATION)


@pytest.mark.hint(3)
def test_train_step_returns_the_loss_before_the_update(answer):
    for step, call, loss in (
        (plain_step(answer), "train_step(encoders, head, optimizers, inputs, labels)", "mean cross-entropy"),
        (weighted_modulated_step(answer), "train_step(..., weights, modulation)", "sum(w * CE) / sum(w)"),
    ):
        expect_close(step["returned"], step["loss"], call, f"the {loss} before the update, networks in training mode", atol=1e-5)


# ----------------------------------------------------------------------------------------------
# Scores and modulation
# ----------------------------------------------------------------------------------------------

@pytest.mark.hint(7)
def test_modality_scores_use_one_modality_at_a_time(answer):
    """The encoders have nonzero biases, so zeroing a modality's features differs from encoding a blank input."""
    encoders, head = small_models()
    inputs, labels = toy_inputs(12, seed=3)
    image, text = encoders["image"](inputs["image"]), encoders["text"](inputs["text"])
    expected = {}
    for name, kept in (("image", tf.concat([image, tf.zeros_like(text)], -1)), ("text", tf.concat([tf.zeros_like(image), text], -1))):
        probs = tf.nn.softmax(head(kept)).numpy()
        expected[name] = probs[np.arange(12), labels.numpy()].mean()
    got = answer.modality_scores(encoders, head, inputs, labels)
    for name in ("image", "text"):
        expect_close(got[name], expected[name], f"modality_scores(...)[{name!r}]",
                     "mean true-class probability with the other modality's features (not inputs) set to 0")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_modulation_slows_only_the_dominant_modality(answer):
    call = "modulation_coefficients({'image': 0.9, 'text': 0.3}, alpha=0.5)"
    got = answer.modulation_coefficients({"image": 0.9, "text": 0.3}, alpha=0.5)
    expect_close(got["image"], 1.0 - np.tanh(0.5 * 2.0), f"{call}['image']", "1 - tanh(0.5 * (0.9 / 0.3 - 1)) for the dominant one")
    expect_close(got["text"], 1.0, f"{call}['text']", "the weaker modality keeps its full gradient")
    flipped = answer.modulation_coefficients({"image": 0.2, "text": 0.8}, alpha=1.0)
    expect_close([flipped["image"], flipped["text"]], [1.0, 1.0 - np.tanh(3.0)],
                 "modulation_coefficients({'image': 0.2, 'text': 0.8}, alpha=1.0) as [image, text]", "now text dominates")
    even = answer.modulation_coefficients({"image": 0.5, "text": 0.5}, alpha=1.0)
    expect_close([even["image"], even["text"]], [1.0, 1.0], "modulation_coefficients with equal scores", "no one dominates")


@pytest.mark.hint(3)
def test_modulation_matches_the_contract_for_two_to_four_modalities(answer, reference):
    """Random scores (no ties for the top) for 2, 3 and 4 modalities at several alphas: the ratio's
    denominator is the mean of all the other scores."""
    rng = np.random.default_rng(6)
    names = ["image", "text", "audio", "depth"]
    cases = []
    for k in (2, 3, 4):
        for alpha in (0.3, 1.0, 2.5):
            scores = dict(zip(names[:k], (float(s) for s in rng.permutation(rng.uniform(0.05, 0.95, k)))))
            cases.append(Case(f"{ {n: round(s, 4) for n, s in scores.items()} }, alpha={alpha}", (scores,), {"alpha": alpha}))
    cases.append(Case("{'image': 0.4, 'text': 0.4, 'audio': 0.4}, alpha=1.0", ({"image": 0.4, "text": 0.4, "audio": 0.4},), {"alpha": 1.0}))
    expect_matches_reference("modulation_coefficients", answer.modulation_coefficients, reference.modulation_coefficients, cases,
                             "1 - tanh(alpha * (top / mean(every other score) - 1)) for the top one, 1.0 for the rest", atol=1e-6)
