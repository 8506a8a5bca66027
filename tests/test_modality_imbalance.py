"""Checks for modality_imbalance: balanced oversampling that keeps every rare sample, augmentation
that keeps the caption true, inverse-frequency weights, per-modality learning rates and their
decay, and gradient modulation that slows only the dominant modality."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import as_array, expect_close, expect_in_range, expect_shape, snapshot

GROUPS = np.array(["pair"] * 40 + ["text only"] * 25 + ["image only"] * 4)
RATES = {"image": 0.1, "text": 0.01, "head": 0.05}


def shuffled_groups(seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).permutation(GROUPS)


def toy_inputs(n: int = 16, seed: int = 0):
    """Images, captions and the shape of each scene (0-3) as the label."""
    data = toy_data.make_batch(n, seed)
    labels = np.array([toy_data.SHAPES.index(s.shape) for s in data.scenes], np.int32)
    return {"image": tf.constant(data.images), "text": tf.constant(data.captions)}, tf.constant(labels)


def small_models():
    """Tiny encoders for both modalities and a linear head over their concatenated features."""
    image = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(4, activation="tanh")])
    text = keras.Sequential([keras.Input((toy_data.MAX_LEN,), dtype="int32"), keras.layers.Embedding(toy_data.VOCAB_SIZE, 3),
                             keras.layers.Flatten(), keras.layers.Dense(4, activation="tanh")])
    head = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])
    return {"image": image, "text": text}, head


def expected_gradients(encoders, head, inputs, labels, weights):
    """Gradients of sum(w * CE) / sum(w), computed here, for each part."""
    with tf.GradientTape() as tape:
        features = tf.concat([encoders["image"](inputs["image"]), encoders["text"](inputs["text"])], axis=-1)
        ce = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, head(features))
        loss = tf.reduce_sum(weights * ce) / tf.reduce_sum(weights)
    parts = {"image": encoders["image"].trainable_variables, "text": encoders["text"].trainable_variables,
             "head": head.trainable_variables}
    return float(loss), {k: [tf.convert_to_tensor(g).numpy() for g in grads] for k, grads in tape.gradient(loss, parts).items()}, parts


def expect_step_size(moved, grads, rate: float, what: str, why: str) -> None:
    """The change of one part's weights must be -rate * its gradient (plain SGD)."""
    delta = np.concatenate([d.ravel() for d in moved]).astype(np.float64)
    grad = np.concatenate([g.ravel() for g in grads]).astype(np.float64)
    scale = -float(delta @ grad) / float(grad @ grad)
    off = float(np.linalg.norm(delta + rate * grad)) / (rate * float(np.linalg.norm(grad)))
    if abs(scale - rate) > 1e-3 * rate or off > 1e-2:
        raise AssertionError(
            f"{what}: the weights moved by {scale:.4g} times minus their gradient (off that line by {off:.1%}); "
            f"expected {rate:.4g} times ({why})"
        )


def run_step(answer, modulation=None):
    """One train_step with plain SGD at RATES; returns what each part moved and what it should have moved."""
    encoders, head = small_models()
    inputs, labels = toy_inputs()
    weights = tf.constant(np.random.default_rng(2).uniform(0.2, 3.0, 16), tf.float32)
    loss, grads, parts = expected_gradients(encoders, head, inputs, labels, weights)
    before = {k: snapshot(v) for k, v in parts.items()}
    optimizers = {k: keras.optimizers.SGD(rate) for k, rate in RATES.items()}
    got = answer.train_step(encoders, head, optimizers, inputs, labels, weights, modulation)
    moved = {k: [a - b for a, b in zip(snapshot(parts[k]), before[k])] for k in parts}
    return got, loss, moved, grads


@pytest.mark.points(2)
def test_oversampling_balances_the_groups(answer):
    groups = shuffled_groups()
    call = "oversample_indices(groups with 40 / 25 / 4 samples, seed=0)"
    indices = expect_shape(answer.oversample_indices(groups, seed=0), (120,), call)
    if not np.issubdtype(indices.dtype, np.integer) or indices.min() < 0 or indices.max() >= len(groups):
        raise AssertionError(f"{call} returned {indices.dtype} values in [{indices.min()}, {indices.max()}]; expected indices into groups")
    labels, counts = np.unique(groups[indices], return_counts=True)
    if not np.all(counts == 40):
        raise AssertionError(f"{call} gives group counts {dict(zip(labels.tolist(), counts.tolist()))}; expected 40 of each")


@pytest.mark.points(2)
def test_oversampling_keeps_every_minority_sample(answer):
    for seed in range(3):
        groups = shuffled_groups(seed)
        indices = as_array(answer.oversample_indices(groups, seed=seed), "oversample_indices")
        missing = sorted(set(range(len(groups))) - set(indices.tolist()))
        if missing:
            raise AssertionError(
                f"oversample_indices(groups, seed={seed}) left out samples {missing[:8]} (groups "
                f"{sorted(set(groups[missing].tolist()))}); keep every sample once and draw only the extra entries with replacement"
            )


def test_oversampling_is_deterministic_for_a_seed(answer):
    groups = shuffled_groups()
    first = as_array(answer.oversample_indices(groups, seed=3), "oversample_indices(groups, seed=3)")
    if not np.array_equal(first, as_array(answer.oversample_indices(groups, seed=3), "again")):
        raise AssertionError("oversample_indices(groups, seed=3) gave different indices on a second call; use np.random.default_rng(seed)")
    if np.array_equal(first, as_array(answer.oversample_indices(groups, seed=4), "seed=4")):
        raise AssertionError("oversample_indices gave the same indices for seeds 3 and 4; the seed must drive the draws")


def test_augmentation_is_small_seeded_and_in_range(answer):
    images = toy_data.make_batch(16, 5).images
    call = "augment_images(images (16, 28, 28, 1), seed=1)"
    first = expect_in_range(expect_shape(answer.augment_images(images, seed=1), (16, 28, 28, 1), call), 0.0, 1.0, call)
    if not np.array_equal(first, as_array(answer.augment_images(images, seed=1), call)):
        raise AssertionError(f"{call} gave different images on a second call; draw everything from the seed")
    if np.allclose(first, images):
        raise AssertionError(f"{call} returned the images unchanged; shift them and add a little noise")


@pytest.mark.points(2)
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


@pytest.mark.points(2)
def test_weights_are_inverse_to_frequency(answer):
    groups = shuffled_groups()
    weights = expect_shape(answer.inverse_frequency_weights(groups), (69,), "inverse_frequency_weights(groups 40 / 25 / 4)")
    counts = {g: int((groups == g).sum()) for g in set(groups)}
    expected = np.array([69 / (3 * counts[g]) for g in groups])
    expect_close(weights, expected, "inverse_frequency_weights(groups)", "n / (K * count): rarer groups weigh more")


def test_weighted_total_equals_the_unweighted_count(answer):
    groups = shuffled_groups(1)
    weights = as_array(answer.inverse_frequency_weights(groups), "inverse_frequency_weights(groups)")
    expect_close(weights.sum(), len(groups), "sum(inverse_frequency_weights(groups))", "the weights sum to n = 69")
    for group in sorted(set(groups)):
        expect_close(weights[groups == group].sum(), len(groups) / 3, f"the total weight of group {group!r}", "n / K for every group")


@pytest.mark.points(2)
def test_schedule_gives_the_expected_rates(answer):
    steps = [0, 50, 100, 250]
    got = [answer.learning_rate_at(s, 0.1, 0.5, 100) for s in steps]
    expect_close(np.asarray(got, np.float64), [0.1 * 0.5 ** (s / 100) for s in steps],
                 f"[learning_rate_at(step, 0.1, 0.5, 100) for step in {steps}]", "0.1 * 0.5 ** (step / 100)", atol=1e-7)


def test_make_optimizers_decays_each_rate_on_its_own(answer):
    optimizers = answer.make_optimizers(dict(RATES), decay_rate=0.5, decay_steps=10)
    if not isinstance(optimizers, dict) or set(optimizers) != set(RATES):
        raise AssertionError(f"make_optimizers({RATES}) returned {optimizers!r:.80}; expected a dict with the same keys")
    for name, base in RATES.items():
        opt = optimizers[name]
        for step, factor in ((0, 1.0), (10, 0.5), (25, 0.5 ** 2.5)):
            opt.iterations.assign(step)
            expect_close(float(opt.learning_rate), base * factor, f"make_optimizers(...)[{name!r}].learning_rate after {step} updates",
                         f"{base} * 0.5 ** ({step} / 10)", atol=1e-7)


def test_train_step_returns_the_weighted_loss(answer):
    got, loss, _, _ = run_step(answer)
    expect_close(got, loss, "train_step(encoders, head, optimizers, inputs, labels, weights)",
                 "sum(w * cross-entropy) / sum(w), before the update", atol=1e-5)


@pytest.mark.points(3)
def test_each_encoder_moves_by_its_own_learning_rate(answer):
    _, _, moved, grads = run_step(answer)
    for name, rate in RATES.items():
        expect_step_size(moved[name], grads[name], rate, f"after one train_step with SGD rates {RATES}, the {name} part",
                         f"optimizers[{name!r}] applies the gradient of the weighted loss to the {name} part at its own rate")


def test_modality_scores_use_one_modality_at_a_time(answer):
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
                     "mean true-class probability with the other modality's features set to 0")


@pytest.mark.points(2)
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


@pytest.mark.points(2)
def test_train_step_scales_only_the_modulated_gradients(answer):
    _, _, moved, grads = run_step(answer, modulation={"image": 0.25, "text": 1.0})
    for name, scale in (("image", 0.25), ("text", 1.0), ("head", 1.0)):
        expect_step_size(moved[name], grads[name], RATES[name] * scale,
                         f"after train_step(..., modulation={{'image': 0.25, 'text': 1.0}}) with SGD rates {RATES}, the {name} part",
                         f"rate {RATES[name]} times modulation {scale}; only the encoders are modulated")
