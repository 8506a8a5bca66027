"""Checks for text_to_image_gan: shapes, conditioning on the caption, which network each step
updates, the loss values each step reports, and that training moves the images toward the data."""

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
    expect_float,
    expect_in_range,
    expect_shape,
    once_per_answer,
    ready_to_compile,
    restore,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 150


def real_batch(n: int = 16, seed: int = 0):
    """Toy images scaled to [-1, 1] and their captions, as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images * 2.0 - 1.0), tf.constant(data.captions)


def noise(answer, n: int, seed: int = 1):
    return tf.constant(np.random.default_rng(seed).standard_normal((n, answer.NOISE_DIM)), tf.float32)


def two_caption_sets():
    """Eight captions and eight different ones (each pair differs in at least one word)."""
    scenes = toy_data.all_scenes()
    first = np.stack([toy_data.encode(s.words) for s in scenes[:8]])
    second = np.stack([toy_data.encode(s.words) for s in scenes[-8:]])
    return tf.constant(first), tf.constant(second)


def networks(answer):
    return answer.build_generator(VOCAB), answer.build_discriminator(VOCAB)


def adam():
    return keras.optimizers.Adam(1e-3, beta_1=0.5)


def bce(logits, target: float) -> float:
    """Mean binary cross-entropy of logits against a constant target (stable, float64)."""
    x = np.asarray(logits, np.float64)
    return float(np.mean(np.maximum(x, 0) - x * target + np.log1p(np.exp(-np.abs(x)))))


def logits(discriminator, images, captions) -> np.ndarray:
    return as_array(discriminator([images, captions], training=True), "discriminator([images, captions])")


def test_text_encoder_maps_captions_to_vectors(answer):
    _, captions = real_batch(8)
    encoder = answer.build_text_encoder(VOCAB, 20)
    out = expect_shape(encoder(captions), (8, 20), "build_text_encoder(vocab_size, 20)(captions (8, 6))")
    expect_float(out, "text_encoder(captions)")
    expect_finite(out, "text_encoder(captions)")


def test_text_encoder_tells_captions_apart(answer):
    first, second = two_caption_sets()
    encoder = answer.build_text_encoder(VOCAB)
    a, b = as_array(encoder(first), "text_encoder(first)"), as_array(encoder(second), "text_encoder(second)")
    if np.abs(a - b).max(axis=1).min() < 1e-6:
        raise AssertionError("text_encoder gave the same vector for two different captions; it must depend on the tokens")


def test_generator_returns_images_in_range(answer):
    """Any noise, however large, must give images in [-1, 1]: a bounded output layer, not a lucky initialisation."""
    generator, _ = networks(answer)
    _, captions = real_batch(8)
    for scale in (1.0, 20.0):
        call = f"generator([{scale:g} * z (8, NOISE_DIM), captions (8, 6)])"
        images = expect_shape(generator([scale * noise(answer, 8), captions]), (8, 28, 28, 1), call)
        expect_float(images, call)
        expect_in_range(images, -1.0, 1.0, call)


@pytest.mark.points(2)
def test_generator_depends_on_the_caption(answer):
    generator, _ = networks(answer)
    first, second = two_caption_sets()
    z = noise(answer, 8)
    a = as_array(generator([z, first]), "generator([z, captions])")
    b = as_array(generator([z, second]), "generator([z, other captions])")
    diff = np.abs(a - b).mean(axis=(1, 2, 3))
    if diff.min() < 1e-6:
        raise AssertionError(
            f"generator([z, captions]) drew the same image for different captions with the same z "
            f"(smallest mean difference {diff.min():.2g}); the caption must be an input of the generator"
        )


def test_generator_depends_on_the_noise(answer):
    generator, _ = networks(answer)
    _, captions = real_batch(8)
    a = as_array(generator([noise(answer, 8, seed=1), captions]), "generator([z1, captions])")
    b = as_array(generator([noise(answer, 8, seed=2), captions]), "generator([z2, captions])")
    if np.abs(a - b).mean(axis=(1, 2, 3)).min() < 1e-6:
        raise AssertionError("generator gave the same image for two different noise vectors; z must be an input")


def test_discriminator_returns_one_logit_per_example(answer):
    _, discriminator = networks(answer)
    images, captions = real_batch(8)
    call = "discriminator([images (8, 28, 28, 1), captions (8, 6)])"
    out = expect_shape(discriminator([images, captions]), (8, 1), call)
    expect_finite(out, call)


@pytest.mark.points(2)
def test_discriminator_returns_logits_not_probabilities(answer):
    _, discriminator = networks(answer)
    images, captions = real_batch(16)
    noisy = tf.constant(np.random.default_rng(3).uniform(-1, 1, (16, 28, 28, 1)), tf.float32)
    outputs = np.concatenate([as_array(discriminator([x, captions]), "discriminator") for x in (images, noisy, 50.0 * noisy, -50.0 * images)])
    if outputs.min() >= 0.0 and outputs.max() <= 1.0:
        raise AssertionError(
            f"discriminator outputs stayed in [{outputs.min():.3g}, {outputs.max():.3g}] for real, noise and "
            "inputs scaled by ±50: that is a probability; drop the sigmoid and return logits (the loss applies it)"
        )


@pytest.mark.points(2)
def test_discriminator_depends_on_the_caption(answer):
    _, discriminator = networks(answer)
    first, second = two_caption_sets()
    images, _ = real_batch(8)
    a, b = logits(discriminator, images, first), logits(discriminator, images, second)
    if np.abs(a - b).min() < 1e-7:
        raise AssertionError(
            "discriminator([images, captions]) gave the same logit for other captions; it must see the caption "
            "to reject images that do not match their text"
        )


@pytest.mark.points(2)
def test_discriminator_step_updates_only_the_discriminator(answer):
    generator, discriminator = networks(answer)
    images, captions = real_batch(16)
    z, d_optimizer = noise(answer, 16), adam()
    generator([z, captions]), discriminator([images, captions])
    g_before, d_before = snapshot(generator.variables), snapshot(discriminator.trainable_variables)
    loss = answer.discriminator_step(generator, discriminator, d_optimizer, images, captions, z)
    expect_finite(loss, "discriminator_step(...)")
    if any(changed(g_before, generator.variables)):
        raise AssertionError("discriminator_step changed the generator's weights; apply D's gradients to discriminator.trainable_variables only")
    if not any(changed(d_before, discriminator.trainable_variables)):
        raise AssertionError("discriminator_step left every discriminator weight unchanged; apply the gradients with d_optimizer")
    if int(d_optimizer.iterations) != 1:
        raise AssertionError(f"discriminator_step made d_optimizer take {int(d_optimizer.iterations)} steps; expected 1")


@pytest.mark.points(2)
def test_generator_step_updates_only_the_generator(answer):
    generator, discriminator = networks(answer)
    images, captions = real_batch(16)
    z, g_optimizer = noise(answer, 16), adam()
    generator([z, captions]), discriminator([images, captions])
    g_before, d_before = snapshot(generator.trainable_variables), snapshot(discriminator.variables)
    loss = answer.generator_step(generator, discriminator, g_optimizer, captions, z)
    expect_finite(loss, "generator_step(...)")
    if any(changed(d_before, discriminator.variables)):
        raise AssertionError("generator_step changed the discriminator's weights; apply G's gradients to generator.trainable_variables only")
    if not any(changed(g_before, generator.trainable_variables)):
        raise AssertionError("generator_step left every generator weight unchanged; apply the gradients with g_optimizer")
    if int(g_optimizer.iterations) != 1:
        raise AssertionError(f"generator_step made g_optimizer take {int(g_optimizer.iterations)} steps; expected 1")


@once_per_answer
def warmed_up(answer) -> tuple[keras.Model, keras.Model, list[np.ndarray], list[np.ndarray]]:
    """G and D after five discriminator steps (Adam, 1e-2) on real_batch(16) and noise(answer, 16),
    and the values of their variables then (both train_step loss checks start from this state).

    The warm-up moves D's logits away from 0, where every target would give nearly the same loss.
    """
    generator, discriminator = networks(answer)
    images, captions = real_batch(16)
    z, warm_up = noise(answer, 16), keras.optimizers.Adam(1e-2)
    for _ in range(5):
        answer.discriminator_step(generator, discriminator, warm_up, images, captions, z)
    return generator, discriminator, snapshot(generator.variables), snapshot(discriminator.variables)


def expected_losses(answer, real_smoothing: float):
    """Run train_step once from the warmed-up networks and recompute both losses from the networks'
    states around it: d_loss uses G and D as they were before the step; g_loss uses the updated D and
    G before its own update, because train_step runs the D step first.
    """
    generator, discriminator, g0, d0 = warmed_up(answer)
    restore(generator.variables, g0), restore(discriminator.variables, d0)
    images, captions = real_batch(16)
    z = noise(answer, 16)
    fake = generator([z, captions], training=True)
    d_expected = bce(logits(discriminator, images, captions), 1.0 - real_smoothing) + bce(logits(discriminator, fake, captions), 0.0)
    restore(generator.variables, g0), restore(discriminator.variables, d0)
    out = answer.train_step(generator, discriminator, adam(), adam(), images, captions, z, real_smoothing)
    if not isinstance(out, dict) or not {"d_loss", "g_loss"} <= set(out):
        raise AssertionError(f"train_step returned {type(out).__name__} {out!r:.80}; expected a dict with 'd_loss' and 'g_loss'")
    restore(generator.variables, g0)
    g_expected = bce(logits(discriminator, generator([z, captions], training=True), captions), 1.0)
    return out, d_expected, g_expected


@pytest.mark.points(3)
def test_train_step_losses_match_the_gan_formulas(answer):
    out, d_expected, g_expected = expected_losses(answer, 0.0)
    expect_finite(out["d_loss"], "train_step(...)['d_loss']")
    expect_finite(out["g_loss"], "train_step(...)['g_loss']")
    expect_close(out["d_loss"], d_expected, "train_step(...)['d_loss']",
                 "mean BCE(D(real), 1) + mean BCE(D(G(z)), 0) before the update", atol=1e-5, rtol=1e-4)
    expect_close(out["g_loss"], g_expected, "train_step(...)['g_loss']",
                 "mean BCE(D(G(z)), 1) with the freshly updated D (non-saturating)", atol=1e-5, rtol=1e-4)


def test_train_step_smooths_only_the_real_targets(answer):
    out, d_expected, _ = expected_losses(answer, 0.2)
    expect_close(out["d_loss"], d_expected, "train_step(..., real_smoothing=0.2)['d_loss']",
                 "real targets 0.8, fake targets still 0", atol=1e-5, rtol=1e-4)


def test_sample_is_seeded_and_in_range(answer):
    generator, _ = networks(answer)
    captions = toy_data.make_batch(6, 4).captions
    first = answer.sample(generator, captions, seed=7)
    if not isinstance(first, np.ndarray):
        raise AssertionError(f"sample(generator, captions, seed=7) returned {type(first).__name__}; expected a numpy array")
    expect_shape(first, (6, 28, 28, 1), "sample(generator, captions (6, 6), seed=7)")
    expect_in_range(first, -1.0, 1.0, "sample(generator, captions, seed=7)")
    if not np.array_equal(first, answer.sample(generator, captions, seed=7)):
        raise AssertionError("sample(..., seed=7) gave different images on a second call; the seed must fix the noise")
    if np.array_equal(first, answer.sample(generator, captions, seed=8)):
        raise AssertionError("sample(..., seed=8) gave the same images as seed=7; different seeds must draw different noise")


@pytest.mark.training
@pytest.mark.points(3)
def test_training_moves_generated_images_toward_the_data(answer):
    """Train 150 steps on toy scenes and measure, for each of the 64 captions, the mean absolute
    difference between G's image and the clean rendering of that caption.

    GAN training on a tiny data set oscillates, so the check keeps the best of six checkpoints
    (and stops at the first that is close enough: later ones cannot change the verdict).
    Every sound answer first learns the dark background that covers most of each image, which
    alone halves the distance; an answer whose steps push G the wrong way, or not at all, does not.
    """
    generator, discriminator = networks(answer)
    g_optimizer, d_optimizer = adam(), adam()
    step = compiled(answer.train_step, ready_to_compile(g_optimizer, generator) and ready_to_compile(d_optimizer, discriminator))
    data = toy_data.make_batch(512, seed=1)
    images, captions = data.images * 2.0 - 1.0, data.captions
    scenes = toy_data.all_scenes()
    eval_captions = tf.constant(np.stack([toy_data.encode(s.words) for s in scenes]))
    targets = np.stack([toy_data.render(s) * 2.0 - 1.0 for s in scenes])
    eval_z = noise(answer, len(scenes), seed=5)

    def distance() -> float:
        return float(np.abs(as_array(generator([eval_z, eval_captions]), "generator") - targets).mean())

    rng = np.random.default_rng(0)
    start = best = distance()
    for number in range(1, LEARNING_STEPS + 1):
        idx = rng.integers(0, len(images), 32)
        z = tf.constant(rng.standard_normal((32, answer.NOISE_DIM)), tf.float32)
        step(generator, discriminator, g_optimizer, d_optimizer, tf.constant(images[idx]), tf.constant(captions[idx]), z)
        if number % 25 == 0:
            best = min(best, distance())
            if best <= 0.5 * start:
                return
    raise AssertionError(
        f"after {LEARNING_STEPS} train_step calls, mean |G(z, caption) - real image| went from {start:.3f} to at best "
        f"{best:.3f}; expected at most {0.5 * start:.3f}. Is G updated (with g_optimizer) so that D calls its images real?"
    )
