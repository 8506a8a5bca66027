"""Checks for text_to_image_gan: shapes, conditioning on the caption, the exact update each step
makes (the gradient of the contract's loss, on exactly its own network's trainable variables),
seeded standard-normal sampling, and that training moves the images toward the data."""

from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import exhibits, toy_data
from mmgen.checks import (
    as_array,
    changed,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_float,
    expect_in_range,
    expect_one_update,
    expect_sgd_update,
    expect_shape,
    fresh_per_answer,
    once_per_answer,
    ready_to_compile,
    rewind,
    snapshot,
)
from mmgen.fused_adam import FusedAdam

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 150
# SGD rates of the update checks. G's gradients through D are small: G's rate is large enough that
# every step stands far above float32 rounding. D's is not: a much larger D step in train_step
# overshoots and saturates D's logits on the fakes, where G's loss and gradient vanish.
# The two differ, so that swapped optimizers show.
D_RATE, G_RATE = 0.1, 100.0
SMOOTHING = 0.2  # real_smoothing in the update checks: a non-default value, so that dropping it shows
SAMPLES = 256  # rows in the checks of sample's noise distribution


def real_batch(n: int = 16, seed: int = 0):
    """Toy images scaled to [-1, 1] and their captions, as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images * 2.0 - 1.0), tf.constant(data.captions)


def noise(n: int, dim: int, seed: int = 1) -> tf.Tensor:
    """Standard-normal z (n, dim), float32."""
    return tf.constant(np.random.default_rng(seed).standard_normal((n, dim)), tf.float32)


def two_caption_sets():
    """Eight captions and eight different ones (each pair differs in at least one word)."""
    scenes = toy_data.all_scenes()
    first = np.stack([toy_data.encode(s.words) for s in scenes[:8]])
    second = np.stack([toy_data.encode(s.words) for s in scenes[-8:]])
    return tf.constant(first), tf.constant(second)


def networks(answer):
    return answer.build_generator(VOCAB), answer.build_discriminator(VOCAB)


# The checks that only call a network (and never train it) share one per answer, built from the
# seeded state each check starts from (so it is the network each check would build) and rewound
# before each use (weights, BatchNorm statistics, random layers' seeds): each check still sees it
# as freshly built, whatever another check's call did to it, without paying for a build.

@fresh_per_answer
def generator_of(answer):
    """A generator with the default noise size (the checks that only read G build no D)."""
    return answer.build_generator(VOCAB)


@fresh_per_answer
def generator_with_noise_dim_5(answer):
    return answer.build_generator(VOCAB, noise_dim=5)


@fresh_per_answer
def fresh_discriminator(answer):
    return answer.build_discriminator(VOCAB)


@fresh_per_answer
def text_encoder_of(answer):
    return answer.build_text_encoder(VOCAB)


def adam():
    return FusedAdam(1e-3, beta_1=0.5)


def logits(discriminator, images, captions) -> np.ndarray:
    return as_array(discriminator([images, captions], training=True), "discriminator([images, captions])")


def bce(logits, target: float):
    """The contract's mean binary cross-entropy of logits against a constant target (stable, from logits)."""
    return tf.reduce_mean(tf.nn.softplus(logits) - logits * target)


def d_loss(generator, discriminator, images, captions, z, real_smoothing: float):
    """The contract's D loss, calling the networks as the docstring says the step does: G, D on real, D on fakes."""
    fakes = generator([z, captions], training=True)
    real_logits = discriminator([images, captions], training=True)
    fake_logits = discriminator([fakes, captions], training=True)
    return bce(real_logits, 1.0 - real_smoothing) + bce(fake_logits, 0.0)


def g_loss(generator, discriminator, captions, z):
    """The contract's non-saturating G loss: mean BCE(D(G(z, c), c), 1)."""
    return bce(discriminator([generator([z, captions], training=True), captions], training=True), 1.0)


def expect_unchanged(variables, before: list[np.ndarray], call: str, why: str) -> None:
    """Each of ``variables`` must still hold its value in ``before``, bit for bit; the first that moved is named."""
    for variable, moved in zip(variables, changed(before, variables)):
        if moved:
            name = getattr(variable, "path", None) or variable.name
            raise AssertionError(f"{call} changed `{name}`; {why}")


D_LOSS = "mean BCE(D(real, c), 1 - real_smoothing) + mean BCE(D(G(z, c), c), 0)"
G_LOSS = "mean BCE(D(G(z, c), c), 1)"


@pytest.mark.hint(4)
def test_text_encoder_maps_captions_of_any_length_to_vectors(answer):
    """Toy captions are 6 tokens long, but the contract's (batch, length) is any length."""
    encoder = answer.build_text_encoder(VOCAB, 20)
    _, toy = real_batch(8)
    toy = toy.numpy()
    for captions in (toy[:, :1], toy[:, :3], np.pad(toy, ((0, 0), (0, 3)))):
        call = f"build_text_encoder(vocab_size, 20)(captions {captions.shape})"
        out = expect_shape(encoder(tf.constant(captions)), (8, 20), call)
        expect_float(out, call)
        expect_finite(out, call)


@pytest.mark.hint(4)
def test_text_encoder_encodes_each_caption_on_its_own(answer):
    """A caption's vector must not depend on the other captions in its batch."""
    encoder = text_encoder_of(answer)
    _, captions = real_batch(8, seed=3)
    together = as_array(encoder(captions), "text_encoder(captions (8, 6))")
    for row in range(8):
        alone = as_array(encoder(captions[row:row + 1]), f"text_encoder(captions[{row}:{row + 1}])")
        expect_close(alone[0], together[row], f"text_encoder(captions[{row}:{row + 1}])[0]",
                     f"row {row} of text_encoder(captions): each caption is encoded on its own", atol=1e-5, rtol=1e-4)


@pytest.mark.hint(4)
def test_text_encoder_tells_captions_apart(answer):
    first, second = two_caption_sets()
    encoder = text_encoder_of(answer)
    a, b = as_array(encoder(first), "text_encoder(first)"), as_array(encoder(second), "text_encoder(second)")
    if np.abs(a - b).max(axis=1).min() < 1e-6:
        raise AssertionError("text_encoder gave the same vector for two different captions; it must depend on the tokens")


@pytest.mark.hint(5)
def test_generator_returns_images_in_range(answer):
    """Any noise, however large, must give images in [-1, 1]: a bounded output layer, not a lucky initialisation."""
    generator = generator_of(answer)
    _, captions = real_batch(8)
    for scale in (1.0, 20.0):
        call = f"generator([{scale:g} * z (8, NOISE_DIM), captions (8, 6)])"
        images = expect_shape(generator([scale * noise(8, answer.NOISE_DIM), captions]), (8, 28, 28, 1), call)
        expect_float(images, call)
        expect_in_range(images, -1.0, 1.0, call)


@pytest.mark.hint(5)
def test_generator_takes_noise_of_the_size_it_was_built_with(answer):
    generator = generator_with_noise_dim_5(answer)
    _, captions = real_batch(4)
    call = "build_generator(vocab_size, noise_dim=5)([z (4, 5), captions (4, 6)])"
    expect_in_range(expect_shape(generator([noise(4, 5), captions]), (4, 28, 28, 1), call), -1.0, 1.0, call)


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_generator_depends_on_the_caption(answer):
    generator = generator_of(answer)
    first, second = two_caption_sets()
    z = noise(8, answer.NOISE_DIM)
    a = as_array(generator([z, first]), "generator([z, captions])")
    b = as_array(generator([z, second]), "generator([z, other captions])")
    diff = np.abs(a - b).mean(axis=(1, 2, 3))
    if diff.min() < 1e-6:
        raise AssertionError(
            f"generator([z, captions]) drew the same image for different captions with the same z "
            f"(smallest mean difference {diff.min():.2g}); the caption must be an input of the generator"
        )


@pytest.mark.hint(1)
def test_generator_depends_on_the_noise(answer):
    generator = generator_of(answer)
    _, captions = real_batch(8)
    a = as_array(generator([noise(8, answer.NOISE_DIM, seed=1), captions]), "generator([z1, captions])")
    b = as_array(generator([noise(8, answer.NOISE_DIM, seed=2), captions]), "generator([z2, captions])")
    if np.abs(a - b).mean(axis=(1, 2, 3)).min() < 1e-6:
        raise AssertionError("generator gave the same image for two different noise vectors; z must be an input")


@pytest.mark.hint(3)
def test_discriminator_returns_one_logit_per_example(answer):
    discriminator = fresh_discriminator(answer)
    images, captions = real_batch(8)
    call = "discriminator([images (8, 28, 28, 1), captions (8, 6)])"
    out = expect_shape(discriminator([images, captions]), (8, 1), call)
    expect_finite(out, call)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_discriminator_returns_logits_not_probabilities(answer):
    discriminator = fresh_discriminator(answer)
    images, captions = real_batch(16)
    noisy = tf.constant(np.random.default_rng(3).uniform(-1, 1, (16, 28, 28, 1)), tf.float32)
    outputs = np.concatenate([as_array(discriminator([x, captions]), "discriminator") for x in (images, noisy, 50.0 * noisy, -50.0 * images)])
    if outputs.min() >= 0.0 and outputs.max() <= 1.0:
        raise AssertionError(
            f"discriminator outputs stayed in [{outputs.min():.3g}, {outputs.max():.3g}] for real, noise and "
            "inputs scaled by ±50: that is a probability; drop the sigmoid and return logits (the loss applies it)"
        )


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_discriminator_depends_on_the_caption(answer):
    discriminator = fresh_discriminator(answer)
    first, second = two_caption_sets()
    images, _ = real_batch(8)
    a, b = logits(discriminator, images, first), logits(discriminator, images, second)
    if np.abs(a - b).min() < 1e-7:
        raise AssertionError(
            "discriminator([images, captions]) gave the same logit for other captions; it must see the caption "
            "to reject images that do not match their text"
        )


@once_per_answer
def warmed_up(answer) -> tuple[keras.Model, keras.Model, Callable[[], None]]:
    """G and D after one Adam(3e-2) update of D on the contract's D loss (real_batch(16), z of
    seed 1), and the function that rewinds both to that state (weights, BatchNorm statistics and
    random layers' seeds), which every update check calls before it starts.

    The warm-up is the check's own, not the answer's step, and moves D's logits away from 0,
    where every target would give nearly the same loss.
    """
    generator, discriminator = networks(answer)
    images, captions = real_batch(16)
    variables = discriminator.trainable_variables
    _, gradients = contract_gradients(lambda: d_loss(generator, discriminator, images, captions, noise(16, answer.NOISE_DIM), 0.0),
                                      variables)
    keras.optimizers.Adam(3e-2).apply_gradients(zip(gradients, variables))
    return generator, discriminator, rewind(generator, discriminator)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_discriminator_step_applies_one_sgd_update_of_the_d_loss_to_the_discriminator_only(answer):
    """With SGD, D's trainable weights must move by -learning_rate times the gradient of the contract's
    D loss (recomputed with the networks called as the docstring says, so Dropout replays its masks);
    G's trainable weights must not move (its BatchNorm statistics may)."""
    generator, discriminator, back = warmed_up(answer)
    images, captions = real_batch(16)
    z = noise(16, answer.NOISE_DIM)
    back()
    g_before, d_before = snapshot(generator.trainable_variables), snapshot(discriminator.trainable_variables)
    expected, gradients = contract_gradients(
        lambda: d_loss(generator, discriminator, images, captions, z, SMOOTHING), discriminator.trainable_variables
    )
    back()
    optimizer = keras.optimizers.SGD(D_RATE)
    call = f"discriminator_step(generator, discriminator, SGD({D_RATE}), real_images, captions, z, real_smoothing={SMOOTHING})"
    loss = answer.discriminator_step(generator, discriminator, optimizer, images, captions, z, real_smoothing=SMOOTHING)
    expect_close(loss, expected, call, f"{D_LOSS}, before the update", atol=1e-5, rtol=1e-4)
    expect_unchanged(generator.trainable_variables, g_before, call,
                     "the generator is only read in the discriminator step: apply D's gradients to discriminator.trainable_variables only")
    expect_sgd_update(discriminator.trainable_variables, d_before, gradients, D_RATE, call, "the D loss")
    expect_one_update(optimizer, call)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_generator_step_applies_one_sgd_update_of_the_non_saturating_loss_to_the_generator_only(answer):
    """With SGD, G's trainable weights must move by -learning_rate times the gradient of
    mean BCE(D(G(z, c), c), 1); D's trainable weights must not move."""
    generator, discriminator, back = warmed_up(answer)
    _, captions = real_batch(16)
    z = noise(16, answer.NOISE_DIM)
    back()
    g_before, d_before = snapshot(generator.trainable_variables), snapshot(discriminator.trainable_variables)
    expected, gradients = contract_gradients(lambda: g_loss(generator, discriminator, captions, z), generator.trainable_variables)
    back()
    optimizer = keras.optimizers.SGD(G_RATE)
    call = f"generator_step(generator, discriminator, SGD({G_RATE}), captions, z)"
    loss = answer.generator_step(generator, discriminator, optimizer, captions, z)
    expect_close(loss, expected, call, f"the non-saturating {G_LOSS}, before the update", atol=1e-5, rtol=1e-4)
    expect_unchanged(discriminator.trainable_variables, d_before, call,
                     "the discriminator is only read in the generator step: apply G's gradients to generator.trainable_variables only")
    expect_sgd_update(generator.trainable_variables, g_before, gradients, G_RATE, call, f"the G loss {G_LOSS}")
    expect_one_update(optimizer, call)


@pytest.mark.points(3)
@pytest.mark.hint(6)
def test_train_step_runs_a_discriminator_step_then_a_generator_step_with_the_same_z(answer):
    """train_step(..., real_smoothing=0.2) with SGD: d_loss and D's update as in the D step; then
    g_loss and G's update computed with the updated D and the same z, each with its own optimizer."""
    generator, discriminator, back = warmed_up(answer)
    images, captions = real_batch(16)
    z = noise(16, answer.NOISE_DIM)
    back()
    g_before, d_before = snapshot(generator.trainable_variables), snapshot(discriminator.trainable_variables)
    d_expected, d_gradients = contract_gradients(
        lambda: d_loss(generator, discriminator, images, captions, z, SMOOTHING), discriminator.trainable_variables
    )
    for variable, gradient in zip(discriminator.trainable_variables, d_gradients):
        variable.assign(variable - D_RATE * gradient)
    g_expected, g_gradients = contract_gradients(lambda: g_loss(generator, discriminator, captions, z), generator.trainable_variables)
    back()
    g_optimizer, d_optimizer = keras.optimizers.SGD(G_RATE), keras.optimizers.SGD(D_RATE)
    call = (f"train_step(generator, discriminator, SGD({G_RATE}), SGD({D_RATE}), real_images, captions, z, "
            f"real_smoothing={SMOOTHING})")
    out = answer.train_step(generator, discriminator, g_optimizer, d_optimizer, images, captions, z, SMOOTHING)
    if not isinstance(out, dict) or not {"d_loss", "g_loss"} <= set(out):
        raise AssertionError(f"{call} returned {type(out).__name__} {out!r:.80}; expected a dict with 'd_loss' and 'g_loss'")
    expect_close(out["d_loss"], d_expected, f"{call}['d_loss']", f"{D_LOSS} before any update", atol=1e-5, rtol=1e-4)
    expect_close(out["g_loss"], g_expected, f"{call}['g_loss']",
                 f"{G_LOSS} with D after its step and the same z, G before its update", atol=1e-5, rtol=1e-4)
    expect_sgd_update(discriminator.trainable_variables, d_before, d_gradients, D_RATE, f"{call} (D, with d_optimizer)", "the D loss")
    expect_sgd_update(generator.trainable_variables, g_before, g_gradients, G_RATE, f"{call} (G, with g_optimizer)",
                      "the G loss with the updated D")
    expect_one_update(d_optimizer, f"{call} (d_optimizer)")
    expect_one_update(g_optimizer, f"{call} (g_optimizer)")


def repeated_caption(n: int) -> tf.Tensor:
    """One toy caption, n times: sample's images then differ only through the noise."""
    return tf.constant(np.repeat(toy_data.make_batch(1, 4).captions, n, axis=0))


@pytest.mark.hint(7)
def test_sample_returns_a_numpy_array_of_images_in_range(answer):
    generator = generator_of(answer)
    captions = toy_data.make_batch(6, 4).captions
    images = answer.sample(generator, captions, seed=7)
    if not isinstance(images, np.ndarray):
        raise AssertionError(f"sample(generator, captions, seed=7) returned {type(images).__name__}; expected a numpy array")
    expect_shape(images, (6, 28, 28, 1), "sample(generator, captions (6, 6), seed=7)")
    expect_float(images, "sample(generator, captions, seed=7)")
    expect_in_range(images, -1.0, 1.0, "sample(generator, captions, seed=7)")


@pytest.mark.hint(7)
def test_sample_is_fixed_by_its_seed(answer):
    generator = generator_of(answer)
    captions = toy_data.make_batch(6, 4).captions
    first = as_array(answer.sample(generator, captions, seed=7), "sample(generator, captions, seed=7)")
    if not np.array_equal(first, as_array(answer.sample(generator, captions, seed=7), "sample(..., seed=7)")):
        raise AssertionError("sample(..., seed=7) gave different images on a second call; the seed must fix the noise")
    if np.array_equal(first, as_array(answer.sample(generator, captions, seed=8), "sample(..., seed=8)")):
        raise AssertionError("sample(..., seed=8) gave the same images as seed=7; different seeds must draw different noise")


@pytest.mark.hint(7)
def test_sample_works_for_a_generator_built_with_another_noise_dim(answer):
    generator = generator_with_noise_dim_5(answer)
    call = "sample(build_generator(vocab_size, noise_dim=5), captions (6, 6), seed=3)"
    expect_shape(answer.sample(generator, toy_data.make_batch(6, 4).captions, seed=3), (6, 28, 28, 1), call)


@pytest.mark.hint(7)
def test_sample_draws_a_fresh_noise_row_for_every_example(answer):
    generator = generator_of(answer)
    images = as_array(answer.sample(generator, repeated_caption(64).numpy(), seed=2), "sample(generator, one caption × 64, seed=2)")
    distinct = len(np.unique(images.reshape(64, -1), axis=0))
    if distinct < 64:
        raise AssertionError(
            f"sample(generator, one caption repeated 64 times, seed=2) drew {distinct} distinct image(s); expected 64: "
            "z (batch, noise_dim) has its own standard-normal row for every example"
        )


@pytest.mark.hint(7)
def test_sample_noise_is_standard_normal(answer):
    """The spread of sample's images for one caption must match the spread of
    generator([z, captions], training=False) for standard-normal z of the check's own: noise with
    another scale (uniform on [-1, 1] has variance 1/3) spreads the images differently."""
    generator = generator_of(answer)
    captions = repeated_caption(SAMPLES)
    drawn = as_array(answer.sample(generator, captions.numpy(), seed=0), f"sample(generator, one caption × {SAMPLES}, seed=0)")
    normal = as_array(generator([noise(SAMPLES, answer.NOISE_DIM, seed=11), captions], training=False), "generator")
    spread, expected = float(drawn.astype(np.float64).var(axis=0).sum()), float(normal.astype(np.float64).var(axis=0).sum())
    if not 0.75 * expected <= spread <= expected / 0.75:
        raise AssertionError(
            f"sample(generator, one caption × {SAMPLES}, seed=0) gave images whose total variance over the batch is "
            f"{spread:.4g}; generator([z, captions], training=False) with standard-normal z gives {expected:.4g}. "
            "Draw z from a standard normal (mean 0, variance 1)"
        )


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_training_moves_generated_images_toward_the_data(answer, exhibit):
    """Train 150 steps on toy scenes and measure, for each of the 64 captions, the mean absolute
    difference between G's image (generator([z, caption]), inference mode) and the clean rendering
    of that caption.

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
    eval_z = noise(len(scenes), answer.NOISE_DIM, seed=5)

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
                break
    exhibit(lambda: exhibits.pictures("generator([z, caption]) after training", generator([eval_z[::9], eval_captions[::9]]),
                                      -1.0, 1.0, captions=[" ".join(scene.words) for scene in scenes[::9]]))
    if best > 0.5 * start:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls, mean |G(z, caption) - real image| went from {start:.3f} to at best "
            f"{best:.3f}; expected at most {0.5 * start:.3f}. Is G updated (with g_optimizer) so that D calls its images real?"
        )
