"""Checks for text_to_audio: waveform shapes and range, STFT magnitudes, spectral convergence and
log-magnitude loss on hand-made values and silence, the multi-resolution average, the training
step, and that the model learns to say each token with its own tone."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    compiled,
    expect_close,
    expect_finite,
    expect_float,
    expect_in_range,
    expect_losses_fell,
    expect_scalar,
    expect_shape,
    expect_step_updated,
    losses_on_random_batches,
    once_per_answer,
    ready_to_compile,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
SR = toy_data.SAMPLE_RATE
LEARNING_STEPS = 200
LEARNING_SHARE = 0.9  # of held-out words that must peak at their own tone


def tone(freq: float, samples: int = 1024, amplitude: float = 0.5) -> np.ndarray:
    return (amplitude * np.sin(2 * np.pi * freq * np.arange(samples) / SR)).astype(np.float32)


def toy(n: int = 8, seed: int = 0):
    """Word tokens (n, 4) and their audio (n, 1024) as tensors; PAD slots are silent."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(toy_data.word_ids(data.captions)), tf.constant(data.audio)


def test_text_encoder_returns_features_per_token(answer):
    tokens, _ = toy(4)
    call = "build_text_encoder(vocab_size, 20)(tokens (4, 4))"
    out = expect_shape(answer.build_text_encoder(VOCAB, 20)(tokens), (4, 4, 20), call)
    expect_float(out, call)
    expect_finite(out, call)


def test_audio_decoder_returns_frames_times_hop_samples(answer):
    """Any features, however large, must give samples in [-1, 1]: a bounded output layer, not a lucky initialisation."""
    features = tf.constant(np.random.default_rng(0).normal(size=(2, 3, answer.TEXT_DIM)), tf.float32)
    decoder = answer.build_audio_decoder(answer.TEXT_DIM)
    for scale in (1.0, 20.0):
        call = f"build_audio_decoder(TEXT_DIM)({scale:g} * features (2, 3, TEXT_DIM))"
        out = expect_shape(decoder(scale * features), (2, 3 * answer.SAMPLES_PER_TOKEN), call)
        expect_in_range(out, -1.0, 1.0, call)


@pytest.mark.points(2)
def test_text_to_audio_returns_waveforms_in_range(answer):
    model = answer.build_text_to_audio(VOCAB)
    tokens, _ = toy(4)
    for length in (4, 2):
        call = f"text_to_audio(tokens (4, {length}))"
        out = expect_shape(model(tokens[:, :length]), (4, length * answer.SAMPLES_PER_TOKEN), call)
        expect_float(out, call)
        expect_in_range(out, -1.0, 1.0, call)


def test_text_to_audio_depends_on_the_tokens(answer):
    model = answer.build_text_to_audio(VOCAB)
    a = as_array(model(tf.constant([[3, 5, 9, 0]])), "text_to_audio([[3, 5, 9, 0]])")
    b = as_array(model(tf.constant([[4, 6, 10, 11]])), "text_to_audio([[4, 6, 10, 11]])")
    if np.abs(a - b).max() < 1e-6:
        raise AssertionError("text_to_audio gave the same waveform for different tokens; the audio must depend on the text")


def test_stft_magnitude_has_the_peak_at_the_tone(answer):
    x = tf.constant(tone(1000.0)[None])
    for frame_length, hop in ((64, 16), (256, 64)):
        call = f"stft_magnitude(1000 Hz tone (1, 1024), {frame_length}, {hop})"
        mag = expect_shape(answer.stft_magnitude(x, frame_length, hop), (1, None, frame_length // 2 + 1), call)
        expect_in_range(mag, 0.0, np.inf, call)
        peak = int(mag[0].mean(axis=0).argmax())
        expected = round(1000.0 * frame_length / SR)
        if peak != expected:
            raise AssertionError(f"{call} peaks at bin {peak}; expected bin {expected} (1000 Hz x {frame_length} / {SR} Hz)")


@pytest.mark.points(2)
def test_stft_magnitude_scales_linearly(answer):
    x = tone(700.0) + tone(1500.0, amplitude=0.2)
    a = as_array(answer.stft_magnitude(tf.constant(x[None]), 128, 32), "stft_magnitude(x, 128, 32)")
    b = as_array(answer.stft_magnitude(tf.constant(2 * x[None]), 128, 32), "stft_magnitude(2 x, 128, 32)")
    if not np.allclose(b, 2 * a, rtol=1e-3, atol=1e-4):
        ratio = float(b.max() / max(a.max(), 1e-12))
        raise AssertionError(
            f"stft_magnitude(2 x) peaked {ratio:.3g} times higher than stft_magnitude(x); expected exactly 2: "
            "return |STFT| (the magnitude), not its square or its log"
        )


@pytest.mark.points(2)
def test_spectral_convergence_is_zero_when_equal_and_one_for_silence(answer):
    target = tf.constant(np.random.default_rng(1).uniform(0.5, 3.0, (2, 5, 9)), tf.float32)
    expect_close(answer.spectral_convergence(target, target), 0.0, "spectral_convergence(T, T)", "identical magnitudes", atol=1e-5)
    expect_close(answer.spectral_convergence(target, tf.zeros_like(target)), 1.0, "spectral_convergence(T, zeros)",
                 "a silent prediction: ||T - 0|| / ||T|| (divide by the target's norm)", atol=1e-4)


def test_spectral_convergence_on_hand_computed_values(answer):
    target, predicted = tf.constant([[[3.0, 4.0]]]), tf.constant([[[3.0, 0.0]]])
    expect_close(answer.spectral_convergence(target, predicted), 0.8, "spectral_convergence(T=[3, 4], P=[3, 0])",
                 "||T - P|| / ||T|| = 4 / 5", atol=1e-4)


@pytest.mark.points(2)
def test_log_magnitude_loss_of_a_scaled_signal_is_abs_log_c(answer):
    """With magnitudes far above EPS, scaling by c moves every log magnitude by log c."""
    target = np.random.default_rng(2).uniform(1000.0, 2000.0, (2, 5, 9)).astype(np.float32)
    mixed = np.where(np.arange(9) % 2 == 0, 2.0, 0.5).astype(np.float32)
    for scale, name in ((0.5, "0.5 T"), (2.0, "2 T"), (mixed, "T scaled by 2 and 0.5 in alternate bins")):
        out = answer.log_magnitude_loss(tf.constant(target), tf.constant(target * scale))
        expect_close(out, np.log(2.0), f"log_magnitude_loss(T, {name})",
                     "mean |log T - log(c T)| = |log c| = log 2; take the absolute value of each difference", atol=5e-3, rtol=0)


@pytest.mark.points(2)
def test_log_magnitude_loss_is_finite_on_silence(answer):
    target = tf.constant(np.random.default_rng(3).uniform(0.5, 3.0, (1, 4, 9)), tf.float32)
    silence = tf.zeros_like(target)
    expect_close(answer.log_magnitude_loss(silence, silence), 0.0, "log_magnitude_loss(zeros, zeros)",
                 "silence matches silence; put EPS inside each log", atol=1e-5)
    if expect_scalar(answer.log_magnitude_loss(target, silence), "log_magnitude_loss(T, zeros)") <= 0.0:
        raise AssertionError("log_magnitude_loss(T, zeros) returned 0 or less; a silent prediction must cost something")
    expect_scalar(answer.log_magnitude_loss(silence, target), "log_magnitude_loss(zeros, T)")


@pytest.mark.points(2)
def test_multi_resolution_loss_averages_over_resolutions(answer):
    rng = np.random.default_rng(4)
    x = tf.constant(rng.uniform(-0.5, 0.5, (2, 1024)), tf.float32)
    y = tf.constant(rng.uniform(-0.5, 0.5, (2, 1024)), tf.float32)
    parts = []
    for frame_length, hop in ((64, 16), (256, 64)):
        tx, ty = answer.stft_magnitude(x, frame_length, hop), answer.stft_magnitude(y, frame_length, hop)
        parts.append(expect_scalar(answer.spectral_convergence(tx, ty), "spectral_convergence") + expect_scalar(answer.log_magnitude_loss(tx, ty), "log_magnitude_loss"))
    single = answer.multi_resolution_stft_loss(x, y, resolutions=((64, 16),))
    expect_close(single, parts[0], "multi_resolution_stft_loss(x, y, resolutions=((64, 16),))",
                 "spectral_convergence + log_magnitude_loss of your stft_magnitude(., 64, 16)", atol=1e-4)
    both = answer.multi_resolution_stft_loss(x, y, resolutions=((64, 16), (256, 64)))
    expect_close(both, np.mean(parts), "multi_resolution_stft_loss(x, y, resolutions=((64, 16), (256, 64)))",
                 "the mean of the two resolutions' SC + log-magnitude", atol=1e-4)
    expect_close(answer.multi_resolution_stft_loss(x, x), 0.0, "multi_resolution_stft_loss(x, x)", "identical signals", atol=1e-5)


def test_multi_resolution_loss_is_finite_for_silence(answer):
    x = tf.constant(tone(500.0)[None])
    silent = expect_scalar(answer.multi_resolution_stft_loss(x, tf.zeros_like(x)), "multi_resolution_stft_loss(tone, silence)")
    if silent < 1.0 - 1e-4:
        raise AssertionError(f"multi_resolution_stft_loss(tone, silence) returned {silent:.4g}; expected at least 1 (spectral convergence alone is 1)")
    expect_scalar(answer.multi_resolution_stft_loss(tf.zeros_like(x), x), "multi_resolution_stft_loss(silence, tone)")


@once_per_answer
def first_step(answer) -> tuple[keras.Model, list[np.ndarray], float, object]:
    """One train_step call on a fresh model and 8 toy captions (rows with three words end in a silent
    slot): the model, its trainable weights just before the call, the multi-resolution STFT loss
    those weights give, and what the call returned (both train_step checks read this one call)."""
    model = answer.build_text_to_audio(VOCAB)
    tokens, audio = toy(8)
    expected = expect_scalar(answer.multi_resolution_stft_loss(audio, model(tokens, training=True)), "multi_resolution_stft_loss(audio, model(tokens))")
    before = snapshot(model.trainable_variables)
    return model, before, expected, answer.train_step(model, keras.optimizers.Adam(1e-3), tokens, audio)


@pytest.mark.points(2)
def test_train_step_returns_the_stft_loss_before_the_update(answer):
    _, _, expected, loss = first_step(answer)
    expect_close(loss, expected, "train_step(model, optimizer, tokens, audio)",
                 "multi_resolution_stft_loss(audio, model(tokens)) before the update", atol=1e-4, rtol=1e-4)


def test_train_step_updates_the_weights_and_returns_a_finite_loss(answer):
    model, before, _, loss = first_step(answer)
    expect_step_updated(loss, before, model.trainable_variables, "train_step(...) on audio with silent slots")


def held_out_scenes() -> tuple:
    """Every fifth toy scene: 13 captions the training run never hears."""
    return toy_data.all_scenes()[::5]


@once_per_answer
def training_run(answer) -> tuple[keras.Model, list[float]]:
    """Up to LEARNING_STEPS train_step calls on batches of 32 from 51 of the 64 scenes (every fifth
    scene is held out), stopping at the first checkpoint (every 50 calls) where the model says the
    held-out words with their tones: the trained model and the loss of each call (both learning
    checks read this run)."""
    data = toy_data.make_batch(256, seed=1, scenes=tuple(s for s in toy_data.all_scenes() if s not in held_out_scenes()))
    tokens, audio = toy_data.word_ids(data.captions), data.audio
    model = answer.build_text_to_audio(VOCAB)
    optimizer = keras.optimizers.Adam(1e-2)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model))
    return model, losses_on_random_batches(lambda x, y: step(model, optimizer, x, y), (tokens, audio), LEARNING_STEPS,
                                           learned=lambda: held_out_tones(answer, model)[-1])


@pytest.mark.training
def test_loss_falls_while_training(answer):
    expect_losses_fell(training_run(answer)[1], 0.8, "batches of 32 toy clips")


def test_synthesize_returns_numpy_waveforms_in_range(answer):
    model = answer.build_text_to_audio(VOCAB)
    tokens, _ = toy(3)
    out = answer.synthesize(model, tokens)
    if not isinstance(out, np.ndarray):
        raise AssertionError(f"synthesize(model, tokens) returned {type(out).__name__}; expected a numpy array")  # noqa: TRY004 - a failed check
    call = "synthesize(model, tokens (3, 4))"
    expect_shape(out, (3, 4 * answer.SAMPLES_PER_TOKEN), call)
    expect_float(out, call)
    expect_in_range(out, -1.0, 1.0, call)


def tone_of(segment: np.ndarray) -> float:
    """Frequency of the strongest FFT bin of one 256-sample token slot."""
    return float(np.abs(np.fft.rfft(segment)).argmax() * SR / len(segment))


def held_out_tones(answer, model) -> tuple[list[str], int, bool]:
    """Synthesize the 13 held-out captions: the words whose slot peaks more than one FFT bin
    (31.25 Hz) from their tone, the number of words, and whether at most 1 - LEARNING_SHARE of
    them are wrong."""
    test_tokens = toy_data.word_ids(np.stack([toy_data.encode(s.words) for s in held_out_scenes()]))
    waves = expect_in_range(answer.synthesize(model, tf.constant(test_tokens)), -1.0, 1.0, "synthesize(model, held-out tokens)")
    size, wrong, total = answer.SAMPLES_PER_TOKEN, [], 0
    for row, sequence in enumerate(test_tokens):
        for slot, token in enumerate(sequence):
            if token == toy_data.PAD:
                continue
            total += 1
            word, heard = toy_data.VOCAB[token], tone_of(waves[row, slot * size : (slot + 1) * size])
            if abs(heard - toy_data.TONE_HZ[word]) > SR / size + 1e-6:
                wrong.append(f"'{word}' at {heard:.1f} Hz (tone {toy_data.TONE_HZ[word]} Hz)")
    return wrong, total, len(wrong) <= (1.0 - LEARNING_SHARE) * total


@pytest.mark.training
@pytest.mark.points(3)
def test_model_says_each_held_out_token_with_its_tone(answer):
    """By the end of the training run, at least 90% of the held-out captions' words must peak
    within one FFT bin of their tone (the tones are three bins apart). The reference gets every
    word right after 50 steps, a sound alternative after 125."""
    model, losses = training_run(answer)
    wrong, total, enough = held_out_tones(answer, model)
    if not enough:
        raise AssertionError(
            f"after {len(losses)} train_step calls, {len(wrong)} of {total} held-out words peaked at the wrong "
            f"frequency (at most {int((1.0 - LEARNING_SHARE) * total)} may), e.g. {', '.join(wrong[:3])}. Does train_step minimise the STFT loss of model(tokens) against the audio?"
        )
