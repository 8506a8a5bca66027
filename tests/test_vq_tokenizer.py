"""Checks for vq_tokenizer: quantisation, the straight-through estimator and the two VQ losses against the
contract in values and gradients, a VQ-VAE step against the gradient of the contract's loss, residual VQ
and its k-means fit against the reference, and residual tokens of the toy word tones."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from mmgen import toy_data
from mmgen.checks import (as_array, contract_gradients, expect_close, expect_in_range, expect_one_update,
                          expect_sgd_update, expect_shape, fmt, rewind, snapshot)
from mmgen.differential import Case, expect_matches_reference

WORDS = toy_data.VOCAB[3:]
BIN_HZ = toy_data.SAMPLE_RATE / toy_data.TONE_SAMPLES


def codes_and_vectors(rng: np.random.Generator, shape: tuple, codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Random vectors of ``shape`` (last axis = dim) and a codebook of ``codes`` rows, float32."""
    return (rng.normal(size=shape).astype(np.float32), rng.normal(size=(codes, shape[-1])).astype(np.float32))


# Quantisation, straight-through, losses, usage

@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_quantize_picks_the_nearest_code_and_the_lowest_index_on_a_tie(answer):
    codebook = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 0.0]], np.float32)
    z = np.array([[[0.1, -0.2], [1.9, 0.3]], [[0.2, 1.7], [1.0, 0.0]]], np.float32)
    call = f"quantize(z={z.tolist()}, codebook={codebook.tolist()})"
    quantized, indices = answer.quantize(tf.constant(z), tf.constant(codebook))
    got = expect_shape(indices, (2, 2), f"{call}[1] (indices)")
    if not np.issubdtype(got.dtype, np.integer) or got.tolist() != [[0, 1], [2, 0]]:
        raise AssertionError(f"{call} returned indices {got.tolist()} of dtype {got.dtype}; expected int32 [[0, 1], [2, 0]] "
                             "(the nearest code; [1.0, 0.0] is as near code 0 as code 1, and a tie takes the lowest index; "
                             "code 3 repeats code 1 and never wins)")
    expect_close(quantized, codebook[[[0, 1], [2, 0]]], f"{call}[0] (quantized)", "quantized = codebook[indices], shaped like z")


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_quantize_matches_the_contract_on_random_inputs(answer, reference):
    rng = np.random.default_rng(0)
    cases = [Case(f"z of shape {shape}, codebook of {codes} codes", codes_and_vectors(rng, shape, codes))
             for shape, codes in (((1, 2), 1), ((5, 3), 4), ((3, 7, 7, 8), 32), ((2, 4, 4, 16), 512))]
    expect_matches_reference("quantize", answer.quantize, reference.quantize, cases,
                             "the nearest code in squared distance for every vector of z, and that code", atol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_straight_through_has_the_value_of_quantized_and_the_gradient_of_z(answer, reference):
    rng = np.random.default_rng(1)
    cases = [Case(f"z and quantized of shape {shape}", (rng.normal(size=shape).astype(np.float32),
                                                       rng.normal(size=shape).astype(np.float32)), wrt=(0, 1))
             for shape in ((1, 2), (4, 7, 7, 8))]
    expect_matches_reference("straight_through", answer.straight_through, reference.straight_through, cases,
                             "z + stop_gradient(quantized - z): the value of quantized, the identity gradient to z, none to quantized")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_vq_losses_match_the_contract_in_values_and_gradients(answer, reference):
    """The gradients tell the two losses apart: the codebook loss reaches only quantized, the commitment loss only z."""
    rng = np.random.default_rng(2)
    cases = [Case(f"z and quantized of shape {shape}, beta={beta}", (rng.normal(size=shape).astype(np.float32),
                                                                    rng.normal(size=shape).astype(np.float32)), {"beta": beta}, wrt=(0, 1))
             for shape, beta in (((1, 2), 0.25), ((4, 7, 7, 8), 0.25), ((3, 5), 1.0), ((6, 4), 0.1))]
    expect_matches_reference(
        "vq_losses", answer.vq_losses, reference.vq_losses, cases,
        "codebook_loss = mean((sg(z) - quantized)²), commitment_loss = beta * mean((z - sg(quantized))²)",
    )


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_codebook_usage_closed_forms(answer):
    examples = [
        (np.full((4, 7, 7), 3), 8, (1 / 8, 1.0), "one code used: usage 1/8, perplexity 1"),
        (np.arange(16).reshape(2, 8), 16, (1.0, 16.0), "every code used equally: usage 1, perplexity 16"),
        (np.array([0, 0, 1, 1, 2, 2, 3, 3]), 8, (0.5, 4.0), "4 of 8 codes, used equally: perplexity 4"),
        (np.array([0, 0, 0, 1]), 4, (0.5, float(np.exp(-(0.75 * np.log(0.75) + 0.25 * np.log(0.25))))),
         "frequencies 3/4 and 1/4: exp of their entropy in nats"),
    ]
    for indices, num_codes, expected, why in examples:
        call = f"codebook_usage({fmt(indices)}, num_codes={num_codes})"
        got = answer.codebook_usage(indices, num_codes)
        expect_close(np.asarray(got, dtype=np.float64).reshape(-1), expected, call, why)


# The VQ-VAE

@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_encoder_and_decoder_have_the_contract_shapes(answer):
    images = tf.constant(toy_data.make_batch(3).images)
    for code_dim in (8, 3):
        z = expect_shape(answer.build_encoder(code_dim)(images), (3, 7, 7, code_dim), f"build_encoder({code_dim})(images (3, 28, 28, 1))")
        codes = tf.constant(np.random.default_rng(3).normal(0, 10, (3, 7, 7, code_dim)).astype(np.float32))
        call = f"build_decoder({code_dim})(codes (3, 7, 7, {code_dim}) of std 10)"
        decoded = expect_shape(answer.build_decoder(code_dim)(codes), (3, 28, 28, 1), call)
        expect_in_range(decoded, 0.0, 1.0, call)
        if z.min() >= 0 or z.max() <= 0:
            raise AssertionError(f"build_encoder({code_dim})(images) returned codes all of one sign (from {z.min():.3g} to "
                                 f"{z.max():.3g}); expected unbounded codes: no ReLU or sigmoid at the end")
        if as_array(z, "encoder").dtype != np.float32:
            raise AssertionError(f"build_encoder({code_dim})(images) returned dtype {as_array(z, 'encoder').dtype}; expected float32")


def small_vqvae(dropout: float = 0.25) -> tuple[keras.Model, keras.Model, tf.Variable]:
    """The checks' own encoder (with Dropout), decoder and codebook of 6 codes of dimension 4."""
    images = keras.Input((28, 28, 1))
    z = layers.Conv2D(4, 4, strides=4)(layers.Dropout(dropout, seed=2)(images))
    encoder = keras.Model(images, z)
    codes = keras.Input((7, 7, 4))
    decoder = keras.Model(codes, layers.Conv2DTranspose(1, 4, strides=4, activation="sigmoid")(codes))
    sample = as_array(encoder(tf.constant(toy_data.make_batch(16, seed=5).images)), "encoder").reshape(-1, 4)
    codebook = tf.Variable(sample[np.random.default_rng(4).choice(len(sample), 6, replace=False)] * 1.5)
    return encoder, decoder, codebook


def contract_loss(reference, encoder, decoder, codebook, images, beta: float) -> dict:
    """The contract's VQ-VAE loss and its parts, as tensors."""
    z = encoder(images, training=True)
    quantized, _ = reference.quantize(z, codebook)
    reconstruction = tf.reduce_mean(tf.square(decoder(reference.straight_through(z, quantized), training=True) - images))
    codebook_loss, commitment = reference.vq_losses(z, quantized, beta)
    return {"loss": reconstruction + codebook_loss + commitment, "reconstruction": reconstruction,
            "codebook": codebook_loss, "commitment": commitment}


@pytest.mark.points(3)
@pytest.mark.hint(6)
def test_train_step_applies_one_sgd_update_of_the_vq_vae_loss(answer, reference):
    """Against the gradient of the contract's loss: the encoder through the straight-through path and the
    commitment loss, the decoder through the reconstruction, the codebook through the codebook loss only."""
    encoder, decoder, codebook = small_vqvae()
    variables = encoder.trainable_variables + decoder.trainable_variables + [codebook]
    images, beta, learning_rate = tf.constant(toy_data.make_batch(8, seed=6).images), 0.4, 0.5
    back = rewind(encoder, decoder)
    parts: dict[str, float] = {}  # the contract's loss and its parts, from the same forward pass as the gradients

    def loss():
        found = contract_loss(reference, encoder, decoder, codebook, images, beta)
        parts.update({key: float(value) for key, value in found.items()})
        return found["loss"]

    _, gradients = contract_gradients(loss, variables)
    back()
    before = snapshot(variables)
    optimizer = keras.optimizers.SGD(learning_rate)
    call = f"train_step(encoder, decoder, codebook, SGD({learning_rate}), images (8, 28, 28, 1), beta={beta})"
    got = answer.train_step(encoder, decoder, codebook, optimizer, images, beta=beta)
    if not isinstance(got, dict) or set(got) != set(parts):
        raise AssertionError(f"{call} returned {got!r:.200}; expected a dict with keys {sorted(parts)}")
    for key, wanted in parts.items():
        expect_close(float(np.asarray(got[key])), wanted, f"{call}[{key!r}]", "from before the update", atol=1e-5, rtol=1e-3)
    expect_one_update(optimizer, call)
    expect_sgd_update(variables, before, gradients, learning_rate, call, "the VQ-VAE loss")


@pytest.mark.hint(6)
def test_train_step_trains_the_models_it_is_given(answer):
    encoder, decoder = answer.build_encoder(), answer.build_decoder()
    codebook = tf.Variable(np.random.default_rng(7).normal(size=(answer.NUM_CODES, answer.CODE_DIM)).astype(np.float32))
    variables = encoder.trainable_variables + decoder.trainable_variables + [codebook]
    before = snapshot(variables)
    got = answer.train_step(encoder, decoder, codebook, keras.optimizers.Adam(1e-3), tf.constant(toy_data.make_batch(8).images))
    call = "train_step(your encoder, your decoder, a codebook, Adam(1e-3), 8 toy images)"
    expect_in_range(np.asarray([float(np.asarray(got[k])) for k in ("loss", "reconstruction", "codebook", "commitment")]),
                    0.0, 1e6, f"{call} (its four losses)")
    unchanged = [v.path if hasattr(v, "path") else v.name for v, b in zip(variables, before) if np.array_equal(b, v.numpy())]
    if unchanged:
        raise AssertionError(f"{call} left {', '.join(unchanged[:3])} unchanged; one update reaches the encoder, the decoder and the codebook")


# Residual VQ

@pytest.mark.points(2)
@pytest.mark.hint(7)
def test_residual_quantize_quantizes_what_each_stage_leaves(answer, reference):
    rng = np.random.default_rng(8)
    cases = []
    for shape, stages, codes in (((1, 2), 1, 2), ((6, 3), 2, 4), ((2, 7, 7, 8), 3, 16), ((20, 256), 4, 16)):
        z = rng.normal(size=shape).astype(np.float32)
        codebooks = np.stack([rng.normal(0, 0.5**stage, size=(codes, shape[-1])) for stage in range(stages)]).astype(np.float32)
        cases.append(Case(f"z of shape {shape}, {stages} stages of {codes} codes", (z, codebooks)))
    expect_matches_reference(
        "residual_quantize", answer.residual_quantize, reference.residual_quantize, cases,
        "stage s quantizes residual_s = z - (q_0 + ... + q_(s-1)); quantized is the sum, indices (stages, ...)", atol=1e-5,
    )


@pytest.mark.points(2)
@pytest.mark.hint(8)
def test_fit_residual_codebooks_matches_the_contract(answer, reference):
    rng = np.random.default_rng(9)
    cases = [Case(f"vectors of shape {(n, d)}, num_stages={s}, num_codes={k}, iterations={it}, seed={seed}",
                  (rng.normal(size=(n, d)), s, k), {"iterations": it, "seed": seed})
             for n, d, s, k, it, seed in ((4, 2, 1, 4, 1, 0), (30, 3, 2, 5, 3, 1), (200, 8, 3, 16, 20, 2), (60, 16, 2, 8, 0, 3))]
    expect_matches_reference(
        "fit_residual_codebooks", answer.fit_residual_codebooks, reference.fit_residual_codebooks, cases,
        "one np.random.default_rng(seed) for the fit; per stage: start from rng.choice(n, num_codes, replace=False) rows "
        "of the residuals, then `iterations` rounds of assign (lowest index on a tie) and move to the members' mean",
        atol=1e-8, rtol=1e-8,
    )


# Learning: residual tokens of the toy word tones

def tone_frames(per_word: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``per_word`` one-word frames of each toy word (random phase and amplitude) and each frame's FFT bin."""
    rng = np.random.default_rng(seed)
    frames = [toy_data.render_audio((word,), rng)[: toy_data.TONE_SAMPLES] for word in WORDS for _ in range(per_word)]
    bins = [int(round(toy_data.TONE_HZ[word] / BIN_HZ)) for word in WORDS for _ in range(per_word)]
    return np.array(frames, np.float64), np.array(bins)


@pytest.mark.points(3)
@pytest.mark.hint(9)
def test_residual_tokens_of_word_tones_decode_to_the_right_tone(answer):
    """The docstring's learning check: 4 stages of 16 codes fitted to 16 frames per word; the errors on those
    frames never grow over the stages, and held-out frames come back with their word's frequency on top."""
    frames, _ = tone_frames(16, seed=1)
    held_out, bins = tone_frames(8, seed=2)
    codebooks = as_array(answer.fit_residual_codebooks(frames, 4, 16), "fit_residual_codebooks(frames, 4, 16)")
    expect_shape(codebooks, (4, 16, toy_data.TONE_SAMPLES), "fit_residual_codebooks(frames (192, 256), 4, 16)")
    errors = []
    for stages in range(1, 5):
        quantized, _ = answer.residual_quantize(tf.constant(frames, tf.float32), codebooks[:stages])
        errors.append(float(np.mean((as_array(quantized, "residual_quantize") - frames) ** 2)))
    if any(later > earlier * (1 + 1e-4) for earlier, later in zip(errors, errors[1:])):
        raise AssertionError(f"on the frames the codebooks were fitted to, the mean squared error after 1, 2, 3 and 4 stages was "
                             f"{[round(e, 5) for e in errors]}; expected it never to grow (each k-means stage can only lower it)")
    quantized, _ = answer.residual_quantize(tf.constant(held_out, tf.float32), codebooks)
    peaks = np.argmax(np.abs(np.fft.rfft(as_array(quantized, "residual_quantize"), axis=1)), axis=1)
    right = float(np.mean(peaks == bins))
    if right < 0.9:
        raise AssertionError(f"only {right:.0%} of {len(bins)} held-out word tones came back from 4 residual stages with their word's "
                             "frequency as the strongest FFT bin; expected at least 90 %")
