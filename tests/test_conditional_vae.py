"""Checks for conditional_vae: the KL on hand values and against the reference, the
reparameterisation (standard normal noise, fresh per call and per element, exact gradients), the
summed/averaged ELBO against the reference, the networks' shapes and conditioning, one SGD step of
the training step against the gradient of the contract's loss on the posterior sample it decoded,
reconstruction from mu, seeded sampling from the prior, and that training improves the ELBO."""

import contextlib
import math
from dataclasses import dataclass

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import exhibits, toy_data
from mmgen.checks import (
    as_array,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_in_range,
    expect_one_update,
    expect_sgd_update,
    expect_shape,
    fmt,
    fresh_per_answer,
    once_per_answer,
    ready_to_compile,
    restore,
    rewind,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 40
STEP_LEARNING_RATE = 0.01  # SGD's rate in the update check
STEP_BETA = 2.5  # a beta other than the default, so that a step that drops it is seen


def toy(n: int = 16, seed: int = 0):
    """Toy images in [0, 1] and their captions, as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


def two_caption_sets():
    """Eight captions and eight different ones (each pair differs in at least one word)."""
    scenes = toy_data.all_scenes()
    first = np.stack([toy_data.encode(s.words) for s in scenes[:8]])
    second = np.stack([toy_data.encode(s.words) for s in scenes[-8:]])
    return tf.constant(first), tf.constant(second)


def latent_dim(answer) -> int:
    return int(answer.LATENT_DIM)


@fresh_per_answer
def fresh_networks(answer) -> tuple:
    """build_encoder(VOCAB) and build_decoder(VOCAB), built once per answer and rewound before each use, for
    the checks that only call them (the caption checks, reconstruct, sample)."""
    return answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)


def reference_loss(images, reconstructions, mu, logvar, beta=1.0):
    """Negative ELBO in float64: batch mean of (pixel-summed BCE + beta * latent-summed KL)."""
    x = np.asarray(images, np.float64).reshape(len(images), -1)
    p = np.clip(np.asarray(reconstructions, np.float64).reshape(len(images), -1), 1e-7, 1 - 1e-7)
    rec = -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)
    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    kl = 0.5 * (np.exp(logvar) + mu**2 - 1 - logvar).sum(axis=1)
    return {"loss": float((rec + beta * kl).mean()), "reconstruction": float(rec.mean()), "kl": float(kl.mean())}


class LastFirstInput:
    """The first input (z, for a decoder) of the last call a watched model got, eager or traced."""

    def __init__(self):
        self.calls = 0
        self._value = tf.Variable(tf.zeros((0,)), shape=tf.TensorShape(None), trainable=False)

    def record(self, tensor) -> None:
        self.calls += 1
        self._value.assign(tf.cast(tensor, tf.float32))

    def value(self, call: str) -> np.ndarray:
        if not self.calls:
            raise AssertionError(f"{call} never called decoder([z, captions]); expected it to decode a z")
        return self._value.numpy()


@contextlib.contextmanager
def watching_first_input(model):
    """Within the block, record what ``model`` is called with first ([z, captions] -> z), without
    changing what it computes: the check sees the z that sample or train_step decoded."""
    seen = LastFirstInput()
    original = model.call

    def call(inputs, *args, **kwargs):
        seen.record(inputs[0])
        return original(inputs, *args, **kwargs)

    model.call = call
    try:
        yield seen
    finally:
        del model.call


def expect_standard_normal_moments(values: np.ndarray, call: str, mean_tol: float, std_range: tuple[float, float]) -> None:
    """``values`` (draws meant to be N(0, 1)) must have a mean within ``mean_tol`` of 0 and a
    standard deviation within ``std_range`` (bounds about five standard errors wide)."""
    mean, std = float(values.mean()), float(values.std())
    if abs(mean) > mean_tol or not std_range[0] <= std <= std_range[1]:
        raise AssertionError(
            f"{call}: {values.size} draws with mean {mean:.3f} and standard deviation {std:.3f}; expected "
            f"N(0, 1) draws: mean within {mean_tol} of 0, standard deviation in [{std_range[0]}, {std_range[1]}]"
        )


def normal_ks_distance(values: np.ndarray) -> float:
    """Kolmogorov-Smirnov distance between the empirical law of ``values`` and N(0, 1)."""
    x = np.sort(np.asarray(values, np.float64).ravel())
    cdf = 0.5 * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))
    n = len(x)
    return float(max((np.arange(1, n + 1) / n - cdf).max(), (cdf - np.arange(n) / n).max()))


def kl_cases() -> list[Case]:
    """mu and logvar from one example of one dimension to a large batch: zeros, logvar near 0
    (where the formula rounds to tiny negatives), large |mu| and |logvar|, ties, random values."""
    rng = np.random.default_rng(5)
    pairs = [
        (np.zeros((1, 1)), np.zeros((1, 1))),
        (np.zeros((2, 3)), np.full((2, 3), 1e-4)),
        (np.array([[3.0, -3.0, 0.5]]), np.array([[2.0, 2.0, -2.0]])),
        (rng.normal(size=(3, 2)), rng.normal(size=(3, 2))),
        (np.array([[1e3, 0.0], [0.0, 0.0]]), np.array([[30.0, -30.0], [-5.0, 10.0]])),
        (rng.normal(0, 2, (16, 8)), rng.normal(0, 2, (16, 8))),
        (rng.normal(size=(64, 32)), rng.normal(-1, 0.5, (64, 32))),
    ]
    return [
        Case(f"mu={fmt(mu)}, logvar={fmt(logvar)}", (mu.astype(np.float32), logvar.astype(np.float32)), wrt=(0, 1))
        for mu, logvar in pairs
    ]


def vae_loss_cases() -> list[Case]:
    """Batches of 1 to 16: toy and gray images; reconstructions inside (0, 1) and exactly 0 or 1
    where the image is the opposite (the clip must keep every term finite); beta 0, 0.5, 1 and 4."""
    rng = np.random.default_rng(7)
    toy_images = toy_data.make_batch(16, 11).images

    def extremes(images: np.ndarray) -> np.ndarray:
        recon = rng.uniform(0.02, 0.98, images.shape)
        flips = rng.uniform(size=images.shape) < 0.1
        recon[flips] = 1.0 - np.round(images[flips])
        return recon

    def latents(batch: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
        return rng.normal(size=(batch, dim)), rng.normal(0, 0.7, (batch, dim))

    setups = [
        ("zeros (1, 28, 28, 1)", np.zeros((1, 28, 28, 1)), "all 0.5", np.full((1, 28, 28, 1), 0.5),
         (np.zeros((1, 2)), np.zeros((1, 2))), 1.0),
        ("toy (2, 28, 28, 1)", toy_images[:2], "exact 0s and 1s on opposite pixels", extremes(toy_images[:2]),
         latents(2, 3), 0.0),
        ("gray (3, 28, 28, 1)", rng.uniform(size=(3, 28, 28, 1)), "uniform in (0, 1)", rng.uniform(0.01, 0.99, (3, 28, 28, 1)),
         latents(3, 4), 0.5),
        ("toy (8, 28, 28, 1)", toy_images[:8], "exact 0s and 1s on opposite pixels", extremes(toy_images[:8]),
         latents(8, 8), 4.0),
        ("toy (16, 28, 28, 1)", toy_images, "the images themselves (0s and 1s)", toy_images.copy(), latents(16, 8), 1.0),
    ]
    return [
        Case(
            f"images={images_label}, reconstructions={recon_label}, mu={fmt(mu)}, logvar={fmt(logvar)}, beta={beta:g}",
            (tf.constant(images, tf.float32), recon.astype(np.float32), mu.astype(np.float32), logvar.astype(np.float32)),
            {"beta": beta},
            wrt=(1, 2, 3),
        )
        for images_label, images, recon_label, recon, (mu, logvar), beta in setups
    ]


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_kl_is_zero_for_the_standard_normal(answer):
    zeros = tf.zeros((4, 8))
    call = "kl_divergence(mu=zeros (4, 8), logvar=zeros (4, 8))"
    got = expect_shape(answer.kl_divergence(zeros, zeros), (4,), call)
    expect_close(got, np.zeros(4), call, "N(0, 1) is the prior itself: one KL per example, all 0")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_kl_is_half_per_dimension_at_unit_mean(answer):
    call = "kl_divergence(mu=ones (4, 8), logvar=zeros (4, 8))"
    got = expect_shape(answer.kl_divergence(tf.ones((4, 8)), tf.zeros((4, 8))), (4,), call)
    expect_close(got, np.full(4, 4.0), call, "0.5 * mu^2 = 0.5 per dimension, summed over 8 dimensions")


@pytest.mark.hint(2)
def test_kl_matches_hand_values_for_other_variances(answer):
    logvar = np.array([[math.log(2.0), math.log(0.5)], [1.0, -1.0]], np.float32)
    mu = np.array([[0.0, 0.0], [0.5, -2.0]], np.float32)
    expected = 0.5 * (np.exp(logvar) + mu**2 - 1 - logvar).sum(axis=1)
    call = f"kl_divergence(mu={mu.tolist()}, logvar={np.round(logvar, 3).tolist()})"
    expect_close(answer.kl_divergence(tf.constant(mu), tf.constant(logvar)), expected, call,
                 "0.5 * sum(exp(logvar) + mu^2 - 1 - logvar) over the latent dimensions")


@pytest.mark.hint(2)
def test_kl_divergence_matches_the_contract_in_values_and_gradients(answer, reference):
    expect_matches_reference(
        "kl_divergence", answer.kl_divergence, reference.kl_divergence, kl_cases(),
        "0.5 * sum over the latent dimensions of exp(logvar) + mu^2 - 1 - logvar, one value per example",
        atol=1e-4, rtol=1e-4,
    )


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_reparameterize_draws_standard_normal_noise(answer):
    """Right mean and variance are not enough: eps must be Gaussian (a unit-variance uniform fails)."""
    eps = expect_shape(answer.reparameterize(tf.zeros((4096, 4)), tf.zeros((4096, 4))), (4096, 4),
                       "reparameterize(mu=zeros (4096, 4), logvar=zeros (4096, 4))")
    distance = normal_ks_distance(eps)
    if distance > 0.03:
        raise AssertionError(
            f"reparameterize(mu=0, logvar=0) returned 16384 values whose distribution is {distance:.3f} away from "
            f"N(0, 1) (largest gap between the two cumulative distributions; expected below 0.03): with mu = 0 and "
            f"sigma = 1, z is eps itself, and eps must be standard normal (tf.random.normal), not only of unit variance"
        )


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_reparameterize_has_the_right_mean_and_spread(answer):
    mu = tf.fill((4096, 4), 2.0)
    logvar = tf.fill((4096, 4), math.log(0.25))
    z = expect_shape(answer.reparameterize(mu, logvar), (4096, 4), "reparameterize(mu (4096, 4), logvar (4096, 4))")
    call = "reparameterize(mu=2, logvar=log 0.25) over 16384 draws"
    expect_close(z.mean(), 2.0, f"the mean of {call}", "E[z] = mu", atol=0.03, rtol=0)
    expect_close(z.std(), 0.5, f"the standard deviation of {call}",
                 "sigma = exp(0.5 * logvar) = 0.5, not exp(logvar) = 0.25", atol=0.03, rtol=0)


@pytest.mark.hint(2)
def test_reparameterize_collapses_to_the_mean_for_tiny_variance(answer):
    mu = tf.constant(np.random.default_rng(0).normal(size=(8, 4)), tf.float32)
    call = "reparameterize(mu, logvar=-40)"
    expect_close(answer.reparameterize(mu, tf.fill((8, 4), -40.0)), mu.numpy(), call,
                 "sigma = exp(-20) is about 2e-9, so z = mu", atol=1e-5, rtol=0)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_reparameterize_draws_fresh_noise_each_call(answer):
    mu, logvar = tf.zeros((16, 4)), tf.zeros((16, 4))
    first = as_array(answer.reparameterize(mu, logvar), "reparameterize(zeros, zeros)")
    second = as_array(answer.reparameterize(mu, logvar), "reparameterize(zeros, zeros) again")
    if np.array_equal(first, second):
        raise AssertionError("reparameterize(mu, logvar) returned the same z on two calls; draw a new eps every call")
    if np.abs(first - first[:1]).max() < 1e-7:
        raise AssertionError("reparameterize gave every example the same z; eps must be drawn per example (shape of mu)")
    if np.abs(first - first[:, :1]).max() < 1e-7:
        raise AssertionError("reparameterize gave every latent dimension the same z; eps must be drawn per element (shape of mu)")


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_reparameterize_has_the_gradients_of_mu_plus_sigma_eps(answer):
    """For z = mu + exp(0.5 * logvar) * eps, the gradient of sum(w * z) is w with respect to mu and
    0.5 * w * (z - mu) with respect to logvar, whatever eps was drawn."""
    rng = np.random.default_rng(4)
    mu = tf.Variable(rng.normal(size=(8, 4)).astype(np.float32))
    logvar_values = rng.uniform(-6.0, 3.0, (8, 4)).astype(np.float32)
    logvar_values[0] = [0.0, -20.0, 5.0, -0.5]
    logvar = tf.Variable(logvar_values)
    weights = tf.constant(rng.uniform(0.5, 1.5, (8, 4)) * rng.choice([-1.0, 1.0], (8, 4)), tf.float32)
    with tf.GradientTape() as tape:
        z = answer.reparameterize(mu, logvar)
        total = tf.reduce_sum(weights * tf.cast(z, tf.float32))
    grad_mu, grad_logvar = tape.gradient(total, [mu, logvar])
    z = as_array(z, "reparameterize(mu, logvar)")
    expected = {"mu": weights.numpy(), "logvar": 0.5 * weights.numpy() * (z - mu.numpy())}
    for name, grad in (("mu", grad_mu), ("logvar", grad_logvar)):
        call = f"the gradient of sum(w * reparameterize(mu, logvar)) with respect to {name}"
        if grad is None:
            raise AssertionError(f"{call} is None; build z from mu and logvar with tensor ops (no NumPy, no stop_gradient)")
        expect_close(grad, expected[name], call,
                     "w for mu and 0.5 * w * (z - mu) = 0.5 * w * sigma * eps for logvar", atol=1e-5, rtol=1e-3)


@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_vae_loss_sums_pixels_and_latents_and_averages_the_batch(answer):
    rng = np.random.default_rng(1)
    images, _ = toy(4)
    recon = rng.uniform(0.05, 0.95, (4, 28, 28, 1)).astype(np.float32)
    mu = rng.normal(size=(4, 3)).astype(np.float32)
    logvar = rng.normal(scale=0.5, size=(4, 3)).astype(np.float32)
    out = answer.vae_loss(images, tf.constant(recon), tf.constant(mu), tf.constant(logvar), 0.5)
    if not isinstance(out, dict) or not {"loss", "reconstruction", "kl"} <= set(out):
        raise AssertionError(f"vae_loss returned {type(out).__name__}; expected a dict with 'loss', 'reconstruction', 'kl'")
    expected = reference_loss(images, recon, mu, logvar, 0.5)
    for key, why in (("reconstruction", "BCE summed over the 784 pixels, mean over the batch"),
                     ("kl", "KL summed over latent dimensions, mean over the batch"),
                     ("loss", "reconstruction + beta * kl with beta = 0.5")):
        expect_shape(out[key], (), f"vae_loss(...)['{key}']")
        expect_close(out[key], expected[key], f"vae_loss(images, reconstructions, mu, logvar, beta=0.5)['{key}']", why)


@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_vae_loss_matches_the_contract_in_values_and_gradients(answer, reference):
    expect_matches_reference(
        "vae_loss", answer.vae_loss, reference.vae_loss, vae_loss_cases(),
        "reconstructions clipped to [1e-7, 1 - 1e-7], BCE summed over pixels, KL over latents, both averaged over "
        "the batch; 'kl' unweighted, 'loss' = reconstruction + beta * kl; gradients to reconstructions, mu and logvar",
        atol=1e-3, rtol=1e-4,
    )


@pytest.mark.hint(4)
def test_encoder_returns_mean_and_logvar(answer):
    images, captions = toy(8)
    encoder = answer.build_encoder(VOCAB, 5)
    out = encoder([images, captions])
    if not isinstance(out, (list, tuple)) or len(out) != 2:
        raise AssertionError(f"build_encoder(vocab, 5)([images, captions]) returned {type(out).__name__}; expected [mu, logvar]")
    for name, value in zip(("mu", "logvar"), out):
        expect_finite(expect_shape(value, (8, 5), f"encoder([images (8, 28, 28, 1), captions (8, 6)]) {name}"), name)


@pytest.mark.hint(3)
def test_encoder_depends_on_the_caption(answer):
    images, _ = toy(8)
    first, second = two_caption_sets()
    encoder, _ = fresh_networks(answer)
    a = as_array(encoder([images, first])[0], "encoder([images, captions])[0]")
    b = as_array(encoder([images, second])[0], "encoder([images, other captions])[0]")
    if np.abs(a - b).max(axis=1).min() < 1e-7:
        raise AssertionError("encoder([images, captions]) gave the same mu for other captions; the encoder must see the caption")


@pytest.mark.hint(4)
def test_decoder_returns_images_in_unit_range(answer):
    _, captions = toy(8)
    _, decoder = fresh_networks(answer)
    z = tf.constant(np.random.default_rng(2).standard_normal((8, latent_dim(answer))), tf.float32)
    call = "decoder([z (8, LATENT_DIM), captions (8, 6)])"
    expect_in_range(expect_shape(decoder([z, captions]), (8, 28, 28, 1), call), 0.0, 1.0, call)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_decoder_depends_on_the_caption(answer):
    first, second = two_caption_sets()
    _, decoder = fresh_networks(answer)
    z = tf.constant(np.random.default_rng(3).standard_normal((8, latent_dim(answer))), tf.float32)
    a = as_array(decoder([z, first]), "decoder([z, captions])")
    b = as_array(decoder([z, second]), "decoder([z, other captions])")
    diff = np.abs(a - b).mean(axis=(1, 2, 3))
    if diff.min() < 1e-7:
        raise AssertionError(
            f"decoder([z, captions]) drew the same image for different captions with the same z (smallest mean "
            f"difference {diff.min():.2g}); the caption must be an input of the decoder, or sampling cannot follow the text"
        )


@dataclass
class SgdStep:
    """One train_step(encoder, decoder, SGD(STEP_LEARNING_RATE), images, captions, beta=STEP_BETA) on fresh
    networks, and what the contract says it should have done."""

    variables: list  # the encoder's then the decoder's trainable variables, as the step left them
    before: list[np.ndarray]  # their values just before the step
    returned: object  # what train_step returned
    optimizer: keras.optimizers.Optimizer  # the SGD optimizer the step was given
    eps: np.ndarray  # (z - mu) / exp(0.5 * logvar) for the z the step decoded
    expected: dict[str, float]  # the contract's vae_loss dict on that z, before the update
    gradients: list[np.ndarray]  # the gradient of the contract's loss for each of ``variables``


STEP_CALL = f"train_step(encoder, decoder, SGD({STEP_LEARNING_RATE}), images (32, ...), captions, beta={STEP_BETA})"


@once_per_answer
def sgd_step(answer) -> SgdStep:
    """Run one step while watching the z the decoder receives, then, from the same starting point
    (Dropout replays its masks, BatchNorm its statistics), compute the contract's loss with the
    reference's vae_loss on the answer's networks, decoding mu + sigma * eps for the eps the step drew."""
    from mmgen.answers import Answer
    from mmgen.pytest_plugin import REFERENCE

    reference = Answer(REFERENCE / "conditional_vae.py")
    images, captions = toy(32, seed=5)
    encoder, decoder = answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)
    mu, _ = encoder([images, captions])
    decoder([mu, captions])
    variables = encoder.trainable_variables + decoder.trainable_variables
    back = rewind(encoder, decoder)
    before = snapshot(variables)
    optimizer = keras.optimizers.SGD(STEP_LEARNING_RATE)
    with watching_first_input(decoder) as seen:
        returned = answer.train_step(encoder, decoder, optimizer, images, captions, STEP_BETA)
    z = seen.value(STEP_CALL)
    after = snapshot(variables)
    back()
    expected, drawn = {}, {}

    def contract_loss():
        mu, logvar = encoder([images, captions], training=True)
        sigma = tf.exp(0.5 * tf.cast(logvar, tf.float32))
        eps = tf.stop_gradient((z - mu) / sigma)
        drawn["eps"] = eps.numpy()
        losses = reference.vae_loss(images, decoder([mu + sigma * eps, captions], training=True), mu, logvar, STEP_BETA)
        expected.update({key: float(value) for key, value in losses.items()})
        return losses["loss"]

    _, gradients = contract_gradients(contract_loss, variables)
    restore(variables, after)
    return SgdStep(variables, before, returned, optimizer, drawn["eps"], expected, gradients)


@pytest.mark.hint(6)
def test_train_step_returns_the_vae_loss_before_the_update(answer):
    """The dict must be vae_loss(images, decoder([z, captions]), mu, logvar, beta) for the networks
    as they were before the update, at the beta given (2.5 here)."""
    step = sgd_step(answer)
    out = step.returned
    if not isinstance(out, dict) or not {"loss", "reconstruction", "kl"} <= set(out):
        raise AssertionError(f"{STEP_CALL} returned {type(out).__name__}; expected the vae_loss dict")
    for key in ("reconstruction", "kl", "loss"):
        expect_close(expect_finite(out[key], f"{STEP_CALL}['{key}']"), step.expected[key], f"{STEP_CALL}['{key}']",
                     f"vae_loss on the z the step decoded, with beta={STEP_BETA}, before the update", atol=1e-3, rtol=2e-5)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_train_step_applies_one_sgd_update_of_the_negative_elbo(answer):
    """With SGD, every trainable variable of the encoder and the decoder must move by exactly
    -learning_rate times the gradient of reconstruction + beta * kl (beta = 2.5), computed through
    the sample z the step decoded, and the optimizer must count one update."""
    step = sgd_step(answer)
    expect_sgd_update(step.variables, step.before, step.gradients, STEP_LEARNING_RATE, STEP_CALL,
                      f"vae_loss(...)['loss'] with beta={STEP_BETA}")
    expect_one_update(step.optimizer, STEP_CALL)


@pytest.mark.hint(6)
def test_train_step_decodes_a_sample_from_the_posterior(answer):
    """The decoder must get z = mu + sigma * eps with eps ~ N(0, I), not mu itself (eps = 0)."""
    step = sgd_step(answer)
    if np.abs(step.eps).max() < 1e-3:
        raise AssertionError(f"{STEP_CALL} passed the decoder z = mu (eps = 0); decode z = reparameterize(mu, logvar)")
    expect_standard_normal_moments(
        step.eps, f"eps = (z - mu) / exp(0.5 * logvar) for the z that {STEP_CALL} passed to the decoder",
        mean_tol=0.3, std_range=(0.75, 1.25),
    )


@pytest.mark.hint(7)
def test_reconstruct_decodes_the_posterior_mean(answer):
    images, captions = toy(6)
    encoder, decoder = fresh_networks(answer)
    call = "reconstruct(encoder, decoder, images (6, 28, 28, 1), captions)"
    out = answer.reconstruct(encoder, decoder, images, captions)
    if not isinstance(out, np.ndarray):
        raise AssertionError(f"{call} returned {type(out).__name__}; expected a numpy array (np.asarray of the images)")
    expect_in_range(expect_shape(out, (6, 28, 28, 1), call), 0.0, 1.0, call)
    mu = encoder([images, captions], training=False)[0]
    expected = as_array(decoder([mu, captions], training=False), "decoder([mu, captions], training=False)")
    expect_close(out, expected, call, "decoder([mu, captions], training=False) for mu = encoder([images, captions], "
                 "training=False)[0]: the mean, not a sample", atol=1e-5, rtol=1e-4)


@pytest.mark.hint(7)
def test_sample_is_seeded_and_in_range(answer):
    _, decoder = fresh_networks(answer)
    captions = toy_data.make_batch(6, 4).captions
    first = answer.sample(decoder, captions, seed=7)
    if not isinstance(first, np.ndarray) or first.dtype != np.float32:
        what = type(first).__name__ + (f" of {first.dtype}" if isinstance(first, np.ndarray) else "")
        raise AssertionError(f"sample(decoder, captions, seed=7) returned {what}; expected a float32 numpy array")
    expect_shape(first, (6, 28, 28, 1), "sample(decoder, captions (6, 6), seed=7)")
    expect_in_range(first, 0.0, 1.0, "sample(decoder, captions, seed=7)")
    if not np.array_equal(first, answer.sample(decoder, captions, seed=7)):
        raise AssertionError("sample(..., seed=7) gave different images on a second call; the seed must fix z")
    if np.array_equal(first, answer.sample(decoder, captions, seed=8)):
        raise AssertionError("sample(..., seed=8) gave the same images as seed=7; different seeds must draw different z")


@pytest.mark.hint(7)
def test_sample_decodes_one_standard_normal_z_per_caption(answer):
    """With a decoder built for latent_dim=5, sample must decode z of shape (batch, 5) whose
    entries are N(0, 1) draws, independent across captions (a uniform prior or a hard-coded
    latent size fails)."""
    decoder = answer.build_decoder(VOCAB, 5)
    captions = toy_data.make_batch(128, 6).captions
    call = "sample(build_decoder(vocab, latent_dim=5), captions (128, 6), seed=3)"
    with watching_first_input(decoder) as seen:
        expect_shape(answer.sample(decoder, captions, seed=3), (128, 28, 28, 1), call)
    z = expect_shape(seen.value(call), (128, 5), f"the z that {call} decoded")
    expect_standard_normal_moments(z, f"the z that {call} decoded", mean_tol=0.2, std_range=(0.85, 1.15))
    spread = z.std(axis=0)
    if spread.min() < 0.5:
        raise AssertionError(
            f"the z that {call} decoded varies little across captions (standard deviation per dimension "
            f"{fmt(spread)}); expected one independent z ~ N(0, I) per caption"
        )


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_training_improves_the_elbo_on_a_tiny_batch(answer, exhibit):
    """Train on 16 toy scenes and compare the negative ELBO (decoding mu in inference mode, KL
    included) before and after, as the contract's learning check states."""
    images, captions = toy(16, seed=3)
    encoder, decoder = answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)
    optimizer = FusedAdam(3e-3)
    step = compiled(answer.train_step, ready_to_compile(optimizer, encoder, decoder))

    def negative_elbo() -> float:
        mu, logvar = encoder([images, captions], training=False)
        return reference_loss(images, decoder([mu, captions], training=False), mu, logvar)["loss"]

    start = negative_elbo()
    for _ in range(LEARNING_STEPS):
        step(encoder, decoder, optimizer, images, captions)
    end = negative_elbo()
    exhibit(lambda: exhibits.pictures(
        "decoder([mu, caption]) of training images after training",
        decoder([encoder([images[:8], captions[:8]], training=False)[0], captions[:8]], training=False), 0.0, 1.0,
        captions=[" ".join(toy_data.decode(ids)) for ids in captions[:8].numpy()]))
    if not end < 0.6 * start:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls on one batch of 16, the negative ELBO went from {start:.1f} to "
            f"{end:.1f}; expected at most {0.6 * start:.1f}. Does train_step minimise reconstruction + KL for both networks?"
        )
