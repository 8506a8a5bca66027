"""Checks for speech_to_text_ctc: spectrogram features, per-frame logits, the CTC loss on hand-made
logits (sharp paths, repeated labels, a value computed by hand, label and logit lengths, the blank
index), greedy CTC decoding, the training step, and reading held-out toy audio."""

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
    expect_losses_fell,
    expect_shape,
    expect_step_updated,
    losses_on_random_batches,
    once_per_answer,
    ready_to_compile,
    snapshot,
)

PAD = toy_data.PAD
LEARNING_STEPS = 150
HELD_OUT_SHARE = 0.95  # of held-out clips that must be read exactly
SHARP = 30.0


def toy(n: int = 8, seed: int = 0):
    """Audio (n, 1024) and word labels (n, 4) padded with PAD, as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.audio), tf.constant(toy_data.word_ids(data.captions))


def sharp_logits(answer, paths) -> np.ndarray:
    """Logits (batch, frames, NUM_CLASSES) that put almost all mass on one class per frame; 'b' is the blank."""
    out = np.zeros((len(paths), len(paths[0]), answer.NUM_CLASSES), np.float32)
    for row, path in enumerate(paths):
        for frame, symbol in enumerate(path):
            out[row, frame, answer.BLANK if symbol == "b" else symbol] = SHARP
    return out


def losses(answer, labels, logits, lengths, call: str) -> np.ndarray:
    out = answer.ctc_loss(tf.constant(labels, tf.int32), tf.constant(logits, tf.float32), tf.constant(lengths, tf.int32))
    return expect_shape(out, (len(labels),), call)


def test_spectrogram_shape_and_dtype(answer):
    audio, _ = toy(3)
    call = "spectrogram(audio (3, 1024))"
    out = expect_shape(answer.spectrogram(audio), (3, None, answer.NUM_BINS), call)
    expect_float(out, call)
    expect_finite(out, call)
    if not 1024 // answer.HOP - 1 <= out.shape[1] <= 1024 // answer.HOP + 1:
        raise AssertionError(f"{call} returned {out.shape[1]} frames; expected about 1024 / HOP = {1024 // answer.HOP}")


def test_spectrogram_peaks_at_the_tone(answer):
    x = (0.5 * np.sin(2 * np.pi * 1000.0 * np.arange(1024) / toy_data.SAMPLE_RATE)).astype(np.float32)
    out = as_array(answer.spectrogram(tf.constant(x[None])), "spectrogram(1000 Hz tone)")
    peak, expected = int(out[0].mean(axis=0).argmax()), round(1000.0 * answer.FRAME_LENGTH / toy_data.SAMPLE_RATE)
    if peak != expected:
        raise AssertionError(f"spectrogram(1000 Hz tone) peaks at bin {peak}; expected bin {expected} (1000 Hz x FRAME_LENGTH / 8000 Hz)")


@pytest.mark.points(2)
def test_spectrogram_is_finite_on_silence(answer):
    expect_finite(answer.spectrogram(tf.zeros((2, 1024))), "spectrogram(silence (2, 1024))")


def test_model_returns_logits_for_every_frame(answer):
    model = answer.build_model(answer.NUM_CLASSES)
    for frames in (16, 10):
        features = tf.constant(np.random.default_rng(frames).normal(size=(4, frames, answer.NUM_BINS)), tf.float32)
        call = f"model(features (4, {frames}, NUM_BINS))"
        out = expect_shape(model(features), (4, frames, answer.NUM_CLASSES), call)
        expect_float(out, call)
        expect_finite(out, call)


@pytest.mark.points(2)
def test_ctc_loss_is_near_zero_for_a_sharp_correct_path(answer):
    labels = [[5, 7, PAD, PAD], [4, 4, 9, PAD]]
    logits = sharp_logits(answer, [["b", 5, 5, "b", 7, "b"], [4, "b", 4, 9, 9, "b"]])
    out = losses(answer, labels, logits, [6, 6], "ctc_loss(labels [[5, 7, PAD, PAD], [4, 4, 9, PAD]], sharp logits on _ 5 5 _ 7 _ and 4 _ 4 9 9 _, [6, 6])")
    if not (np.all(np.isfinite(out)) and out.max() < 1e-3):
        raise AssertionError(
            f"ctc_loss on logits that spell the labels with near certainty returned {out}; expected about 0. "
            "Check the blank index (BLANK, the last class), that label lengths count only non-PAD ids, and that "
            "the loss gets logits (no softmax before it)"
        )


@pytest.mark.points(2)
def test_ctc_loss_needs_a_blank_between_repeated_labels(answer):
    labels = [[5, 5, PAD, PAD]] * 2
    logits = sharp_logits(answer, [[5, 5, 5], [5, "b", 5]])
    out = losses(answer, labels, logits, [3, 3], "ctc_loss(labels [5, 5], sharp logits on 5 5 5 and 5 _ 5, [3, 3])")
    if not out[1] < 1e-3:
        raise AssertionError(f"ctc_loss of the path 5 _ 5 for labels [5, 5] returned {out[1]:.4g}; expected about 0")
    if not out[0] > 10.0:
        raise AssertionError(
            f"ctc_loss of the path 5 5 5 for labels [5, 5] returned {out[0]:.4g}; expected a large loss: "
            "5 5 5 collapses to [5], so a repeated label needs a blank between its copies"
        )


@pytest.mark.points(2)
def test_ctc_loss_matches_a_hand_computed_value(answer):
    """Two frames, label [5]: the paths 5 5, 5 _ and _ 5 all collapse to [5]."""
    logits = np.random.default_rng(5).normal(0.0, 1.5, (1, 2, answer.NUM_CLASSES)).astype(np.float32)
    p = np.exp(logits[0] - logits[0].max(-1, keepdims=True))
    p /= p.sum(-1, keepdims=True)
    b = answer.BLANK
    expected = -np.log(p[0, 5] * p[1, 5] + p[0, 5] * p[1, b] + p[0, b] * p[1, 5])
    out = losses(answer, [[5, PAD]], logits, [2], "ctc_loss([[5, PAD]], random logits (1, 2, NUM_CLASSES), [2])")
    expect_close(out, [expected], "ctc_loss([[5, PAD]], random logits (1, 2, NUM_CLASSES), [2])",
                 "-log(p1(5) p2(5) + p1(5) p2(blank) + p1(blank) p2(5)) with softmax over the logits and blank = BLANK", atol=1e-4, rtol=1e-4)


def test_ctc_loss_ignores_frames_past_the_logit_length(answer):
    labels = [[5, 7, PAD, PAD]]
    logits = np.random.default_rng(6).normal(0.0, 1.0, (1, 8, answer.NUM_CLASSES)).astype(np.float32)
    before = losses(answer, labels, logits, [5], "ctc_loss(labels, logits (1, 8, C), [5])")
    noisy = logits.copy()
    noisy[:, 5:] = np.random.default_rng(7).normal(0.0, 5.0, noisy[:, 5:].shape)
    after = losses(answer, labels, noisy, [5], "ctc_loss(labels, other logits after frame 5, [5])")
    if not np.allclose(before, after, atol=1e-5):
        raise AssertionError(
            f"ctc_loss(..., logit_lengths=[5]) changed from {before[0]:.5g} to {after[0]:.5g} when only frames 5-7 changed; "
            "pass logit_lengths on to the CTC loss so frames past a row's length do not count"
        )


@pytest.mark.points(2)
def test_greedy_decode_merges_repeats_then_drops_blanks(answer):
    logits = sharp_logits(answer, [[5, 5, "b", 5, 7, 7, "b", "b"], ["b", "b", 3, 3, 3, "b", 4, "b"]])
    out = answer.greedy_decode(tf.constant(logits))
    expected = [[5, 5, 7], [3, 4]]
    if [list(map(int, row)) for row in out] != expected:
        raise AssertionError(
            f"greedy_decode(logits whose best classes are 5 5 _ 5 7 7 _ _ and _ _ 3 3 3 _ 4 _) returned {out}; "
            f"expected {expected}: merge repeated classes first, then remove blanks"
        )


def test_greedy_decode_stops_at_the_logit_length(answer):
    logits = sharp_logits(answer, [[5, "b", 7, "b", 9, 9], [4, 4, "b", 6, 6, 6]])
    out = answer.greedy_decode(tf.constant(logits), tf.constant([3, 6]))
    if [list(map(int, row)) for row in out] != [[5, 7], [4, 6]]:
        raise AssertionError(f"greedy_decode(logits, logit_lengths=[3, 6]) returned {out}; expected [[5, 7], [4, 6]] (frames past a row's length are ignored)")


def reference_ctc(answer, labels, logits) -> np.ndarray:
    labels = np.asarray(labels)
    return tf.nn.ctc_loss(
        labels=tf.constant(labels, tf.int32), logits=tf.constant(logits, tf.float32),
        label_length=tf.constant((labels != PAD).sum(1), tf.int32), logit_length=tf.fill([len(labels)], logits.shape[1]),
        logits_time_major=False, blank_index=answer.BLANK,
    ).numpy()


@once_per_answer
def first_step(answer) -> tuple[keras.Model, list[np.ndarray], float, object]:
    """One train_step call on a fresh model and 16 toy clips: the model, its trainable weights just
    before the call, the mean CTC loss those weights give (from tf.nn.ctc_loss), and what the call
    returned (both train_step checks read this one call)."""
    model = answer.build_model(answer.NUM_CLASSES)
    audio, labels = toy(16)
    logits = as_array(model(answer.spectrogram(audio), training=True), "model(spectrogram(audio))")
    expected = float(reference_ctc(answer, labels.numpy(), logits).mean())
    before = snapshot(model.trainable_variables)
    return model, before, expected, answer.train_step(model, keras.optimizers.Adam(1e-3), audio, labels)


@pytest.mark.points(2)
def test_train_step_returns_the_mean_ctc_loss(answer):
    _, _, expected, loss = first_step(answer)
    expect_close(loss, expected, "train_step(model, optimizer, audio, labels)",
                 "mean CTC loss over the batch, label lengths = non-PAD ids, every frame valid, blank = BLANK, before the update",
                 atol=1e-3, rtol=1e-4)


def test_train_step_updates_the_weights_and_returns_a_finite_loss(answer):
    model, before, _, loss = first_step(answer)
    expect_step_updated(loss, before, model.trainable_variables)


def held_out_reading(answer, model) -> tuple[list, list[list[int]], list[bool], bool]:
    """What transcribe makes of 200 clips that no training run hears, their words, which clips it
    read exactly, and whether that is at least HELD_OUT_SHARE of them."""
    test = toy_data.make_batch(200, seed=2)
    expected = [[int(t) for t in row if t != PAD] for row in toy_data.word_ids(test.captions)]
    got = answer.transcribe(model, tf.constant(test.audio))
    right = [list(map(int, g)) == e for g, e in zip(got, expected)]
    return got, expected, right, len(got) == len(expected) and np.mean(right) >= HELD_OUT_SHARE


@once_per_answer
def training_run(answer) -> tuple[keras.Model, list[float]]:
    """Up to LEARNING_STEPS train_step calls on batches of 32 drawn from 512 toy clips, stopping
    at the first checkpoint (every 50 calls) where the model reads the held-out clips well: the
    trained model and the loss of each call (both learning checks read this one run)."""
    train = toy_data.make_batch(512, seed=1)
    audio, labels = train.audio, toy_data.word_ids(train.captions)
    model = answer.build_model(answer.NUM_CLASSES)
    optimizer = keras.optimizers.Adam(1e-2)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model))
    return model, losses_on_random_batches(lambda x, y: step(model, optimizer, x, y), (audio, labels), LEARNING_STEPS,
                                           learned=lambda: held_out_reading(answer, model)[-1])


@pytest.mark.training
def test_loss_falls_while_training(answer):
    expect_losses_fell(training_run(answer)[1], 0.5, "batches of 32 toy clips")


@pytest.mark.training
@pytest.mark.points(3)
def test_model_reads_held_out_audio(answer):
    """By the end of the training run, transcribe must read at least 95% of 200 other clips as
    exactly their words (the convolutional reference gets all right after 25 steps, a sound
    bidirectional LSTM after 75; normalised features matter, see the hints)."""
    model, losses = training_run(answer)
    got, expected, right, enough = held_out_reading(answer, model)
    if not enough:
        example = next((i for i, ok in enumerate(right) if not ok), 0)
        raise AssertionError(
            f"after {len(losses)} train_step calls (last loss {losses[-1]:.3g}), transcribe read "
            f"{int(np.sum(right))}/{len(expected)} held-out clips exactly; expected at least {HELD_OUT_SHARE:.0%}. "
            f"E.g. it heard {list(got[example]) if got else None} for {expected[example]}"
        )
