"""Checks for conditional_vae: the KL on hand values, the reparameterisation (noise scale, fresh
noise, gradients), the summed/averaged ELBO, the networks' shapes and conditioning, the training
step and seeded sampling, and that training improves the ELBO on a tiny batch."""

import math

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
    expect_in_range,
    expect_shape,
    ready_to_compile,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 40


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


def reference_loss(images, reconstructions, mu, logvar, beta=1.0):
    """Negative ELBO in float64: batch mean of (pixel-summed BCE + beta * latent-summed KL)."""
    x = np.asarray(images, np.float64).reshape(len(images), -1)
    p = np.clip(np.asarray(reconstructions, np.float64).reshape(len(images), -1), 1e-7, 1 - 1e-7)
    rec = -(x * np.log(p) + (1 - x) * np.log(1 - p)).sum(axis=1)
    mu, logvar = np.asarray(mu, np.float64), np.asarray(logvar, np.float64)
    kl = 0.5 * (np.exp(logvar) + mu**2 - 1 - logvar).sum(axis=1)
    return {"loss": float((rec + beta * kl).mean()), "reconstruction": float(rec.mean()), "kl": float(kl.mean())}


@pytest.mark.points(2)
def test_kl_is_zero_for_the_standard_normal(answer):
    zeros = tf.zeros((4, 8))
    call = "kl_divergence(mu=zeros (4, 8), logvar=zeros (4, 8))"
    got = expect_shape(answer.kl_divergence(zeros, zeros), (4,), call)
    expect_close(got, np.zeros(4), call, "N(0, 1) is the prior itself: one KL per example, all 0")


@pytest.mark.points(2)
def test_kl_is_half_per_dimension_at_unit_mean(answer):
    call = "kl_divergence(mu=ones (4, 8), logvar=zeros (4, 8))"
    got = expect_shape(answer.kl_divergence(tf.ones((4, 8)), tf.zeros((4, 8))), (4,), call)
    expect_close(got, np.full(4, 4.0), call, "0.5 * mu^2 = 0.5 per dimension, summed over 8 dimensions")


def test_kl_matches_hand_values_for_other_variances(answer):
    logvar = np.array([[math.log(2.0), math.log(0.5)], [1.0, -1.0]], np.float32)
    mu = np.array([[0.0, 0.0], [0.5, -2.0]], np.float32)
    expected = 0.5 * (np.exp(logvar) + mu**2 - 1 - logvar).sum(axis=1)
    call = f"kl_divergence(mu={mu.tolist()}, logvar={np.round(logvar, 3).tolist()})"
    expect_close(answer.kl_divergence(tf.constant(mu), tf.constant(logvar)), expected, call,
                 "0.5 * sum(exp(logvar) + mu^2 - 1 - logvar) over the latent dimensions")


@pytest.mark.points(2)
def test_reparameterize_has_the_right_mean_and_spread(answer):
    mu = tf.fill((4096, 4), 2.0)
    logvar = tf.fill((4096, 4), math.log(0.25))
    z = expect_shape(answer.reparameterize(mu, logvar), (4096, 4), "reparameterize(mu (4096, 4), logvar (4096, 4))")
    call = "reparameterize(mu=2, logvar=log 0.25) over 16384 draws"
    expect_close(z.mean(), 2.0, f"the mean of {call}", "E[z] = mu", atol=0.03, rtol=0)
    expect_close(z.std(), 0.5, f"the standard deviation of {call}",
                 "sigma = exp(0.5 * logvar) = 0.5, not exp(logvar) = 0.25", atol=0.03, rtol=0)


def test_reparameterize_collapses_to_the_mean_for_tiny_variance(answer):
    mu = tf.constant(np.random.default_rng(0).normal(size=(8, 4)), tf.float32)
    call = "reparameterize(mu, logvar=-40)"
    expect_close(answer.reparameterize(mu, tf.fill((8, 4), -40.0)), mu.numpy(), call,
                 "sigma = exp(-20) is about 2e-9, so z = mu", atol=1e-5, rtol=0)


@pytest.mark.points(2)
def test_reparameterize_draws_fresh_noise_each_call(answer):
    mu, logvar = tf.zeros((16, 4)), tf.zeros((16, 4))
    first = as_array(answer.reparameterize(mu, logvar), "reparameterize(zeros, zeros)")
    second = as_array(answer.reparameterize(mu, logvar), "reparameterize(zeros, zeros) again")
    if np.array_equal(first, second):
        raise AssertionError("reparameterize(mu, logvar) returned the same z on two calls; draw a new eps every call")
    if np.abs(first - first[:1]).max() < 1e-7:
        raise AssertionError("reparameterize gave every example the same z; eps must be drawn per example (shape of mu)")


@pytest.mark.points(2)
def test_reparameterize_passes_gradients_to_mean_and_logvar(answer):
    mu = tf.Variable(tf.fill((8, 4), 0.5))
    logvar = tf.Variable(tf.fill((8, 4), -0.3))
    with tf.GradientTape() as tape:
        total = tf.reduce_sum(tf.square(answer.reparameterize(mu, logvar)))
    grad_mu, grad_logvar = tape.gradient(total, [mu, logvar])
    for name, grad in (("mu", grad_mu), ("logvar", grad_logvar)):
        if grad is None or not np.any(as_array(grad, f"d sum(z^2) / d {name}")):
            raise AssertionError(
                f"the gradient of sum(reparameterize(mu, logvar)^2) with respect to {name} is "
                f"{'None' if grad is None else 'zero'}; build z from mu and logvar with tensor ops (no NumPy, no stop_gradient)"
            )


@pytest.mark.points(3)
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


def test_encoder_returns_mean_and_logvar(answer):
    images, captions = toy(8)
    encoder = answer.build_encoder(VOCAB, 5)
    out = encoder([images, captions])
    if not isinstance(out, (list, tuple)) or len(out) != 2:
        raise AssertionError(f"build_encoder(vocab, 5)([images, captions]) returned {type(out).__name__}; expected [mu, logvar]")
    for name, value in zip(("mu", "logvar"), out):
        expect_finite(expect_shape(value, (8, 5), f"encoder([images (8, 28, 28, 1), captions (8, 6)]) {name}"), name)


def test_encoder_depends_on_the_caption(answer):
    images, _ = toy(8)
    first, second = two_caption_sets()
    encoder = answer.build_encoder(VOCAB)
    a = as_array(encoder([images, first])[0], "encoder([images, captions])[0]")
    b = as_array(encoder([images, second])[0], "encoder([images, other captions])[0]")
    if np.abs(a - b).max(axis=1).min() < 1e-7:
        raise AssertionError("encoder([images, captions]) gave the same mu for other captions; the encoder must see the caption")


def test_decoder_returns_images_in_unit_range(answer):
    _, captions = toy(8)
    decoder = answer.build_decoder(VOCAB)
    z = tf.constant(np.random.default_rng(2).standard_normal((8, latent_dim(answer))), tf.float32)
    call = "decoder([z (8, LATENT_DIM), captions (8, 6)])"
    expect_in_range(expect_shape(decoder([z, captions]), (8, 28, 28, 1), call), 0.0, 1.0, call)


@pytest.mark.points(2)
def test_decoder_depends_on_the_caption(answer):
    first, second = two_caption_sets()
    decoder = answer.build_decoder(VOCAB)
    z = tf.constant(np.random.default_rng(3).standard_normal((8, latent_dim(answer))), tf.float32)
    a = as_array(decoder([z, first]), "decoder([z, captions])")
    b = as_array(decoder([z, second]), "decoder([z, other captions])")
    diff = np.abs(a - b).mean(axis=(1, 2, 3))
    if diff.min() < 1e-7:
        raise AssertionError(
            f"decoder([z, captions]) drew the same image for different captions with the same z (smallest mean "
            f"difference {diff.min():.2g}); the caption must be an input of the decoder, or sampling cannot follow the text"
        )


@pytest.mark.points(2)
def test_train_step_updates_encoder_and_decoder(answer):
    images, captions = toy(16)
    encoder, decoder = answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)
    optimizer = keras.optimizers.Adam(1e-3)
    mu, _ = encoder([images, captions])
    decoder([mu, captions])
    e_before, d_before = snapshot(encoder.trainable_variables), snapshot(decoder.trainable_variables)
    out = answer.train_step(encoder, decoder, optimizer, images, captions, 0.5)
    if not isinstance(out, dict) or not {"loss", "reconstruction", "kl"} <= set(out):
        raise AssertionError(f"train_step returned {type(out).__name__}; expected the vae_loss dict")
    values = {k: float(expect_finite(out[k], f"train_step(...)['{k}']")) for k in ("loss", "reconstruction", "kl")}
    expect_close(values["loss"], values["reconstruction"] + 0.5 * values["kl"], "train_step(..., beta=0.5)['loss']",
                 "reconstruction + 0.5 * kl from the same dict")
    if not any(changed(e_before, encoder.trainable_variables)):
        raise AssertionError("train_step left every encoder weight unchanged; differentiate the loss with respect to the encoder too")
    if not any(changed(d_before, decoder.trainable_variables)):
        raise AssertionError("train_step left every decoder weight unchanged; apply the gradients to the decoder's variables")
    if int(optimizer.iterations) != 1:
        raise AssertionError(f"train_step made the optimizer take {int(optimizer.iterations)} steps; expected 1")


def test_reconstruct_is_deterministic_and_in_range(answer):
    images, captions = toy(6)
    encoder, decoder = answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)
    call = "reconstruct(encoder, decoder, images (6, 28, 28, 1), captions)"
    first = expect_in_range(expect_shape(answer.reconstruct(encoder, decoder, images, captions), (6, 28, 28, 1), call), 0.0, 1.0, call)
    second = as_array(answer.reconstruct(encoder, decoder, images, captions), call)
    if not np.allclose(first, second, atol=1e-6):
        raise AssertionError(f"{call} gave different images on a second call; decode mu, do not sample z")


def test_sample_is_seeded_and_in_range(answer):
    decoder = answer.build_decoder(VOCAB)
    captions = toy_data.make_batch(6, 4).captions
    first = answer.sample(decoder, captions, seed=7)
    if not isinstance(first, np.ndarray):
        raise AssertionError(f"sample(decoder, captions, seed=7) returned {type(first).__name__}; expected a numpy array")
    expect_shape(first, (6, 28, 28, 1), "sample(decoder, captions (6, 6), seed=7)")
    expect_in_range(first, 0.0, 1.0, "sample(decoder, captions, seed=7)")
    if not np.array_equal(first, answer.sample(decoder, captions, seed=7)):
        raise AssertionError("sample(..., seed=7) gave different images on a second call; the seed must fix z")
    if np.array_equal(first, answer.sample(decoder, captions, seed=8)):
        raise AssertionError("sample(..., seed=8) gave the same images as seed=7; different seeds must draw different z")


@pytest.mark.training
@pytest.mark.points(3)
def test_training_improves_the_elbo_on_a_tiny_batch(answer):
    """Train on 16 toy scenes and compare the negative ELBO (decoding mu, KL included) before and after."""
    images, captions = toy(16, seed=3)
    encoder, decoder = answer.build_encoder(VOCAB), answer.build_decoder(VOCAB)
    optimizer = keras.optimizers.Adam(3e-3)
    step = compiled(answer.train_step, ready_to_compile(optimizer, encoder, decoder))

    def negative_elbo() -> float:
        mu, logvar = encoder([images, captions])
        return reference_loss(images, decoder([mu, captions]), mu, logvar)["loss"]

    start = negative_elbo()
    for _ in range(LEARNING_STEPS):
        step(encoder, decoder, optimizer, images, captions)
    end = negative_elbo()
    if not end < 0.6 * start:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls on one batch of 16, the negative ELBO went from {start:.1f} to "
            f"{end:.1f}; expected at most {0.6 * start:.1f}. Does train_step minimise reconstruction + KL for both networks?"
        )
