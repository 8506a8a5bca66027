"""Checks for speech_to_text_ctc: spectrogram features, per-frame logits (every frame, num_classes
scores, no softmax), the CTC loss (hand-made logits, then against the reference on random logits in
values and gradients), greedy CTC decoding (hand-made, then against the reference on scripted
logits), transcribe, one SGD step of the mean CTC loss, and reading held-out toy audio."""

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
    expect_float,
    expect_losses_fell,
    expect_one_update,
    expect_sgd_update,
    expect_shape,
    losses_on_random_batches,
    once_per_answer,
    ready_to_compile,
    rewind,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

PAD = toy_data.PAD
BLANK = toy_data.VOCAB_SIZE
NUM_CLASSES = toy_data.VOCAB_SIZE + 1
LEARNING_STEPS = 150  # the learning budget the docstring states: Adam(LEARNING_RATE_ADAM), batches of 32
LEARNING_RATE_ADAM = 3e-3
HELD_OUT_SHARE = 0.95  # of held-out clips that must be read exactly
SGD_LEARNING_RATE = 0.1
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
    """answer.ctc_loss on the given labels, logits and logit lengths (as tensors), checked to be (batch,)."""
    out = answer.ctc_loss(tf.constant(labels, tf.int32), tf.constant(logits, tf.float32), tf.constant(lengths, tf.int32))
    return expect_shape(out, (len(labels),), call)


@pytest.mark.hint(4)
def test_spectrogram_shape_and_dtype(answer):
    audio, _ = toy(3)
    call = "spectrogram(audio (3, 1024))"
    out = expect_shape(answer.spectrogram(audio), (3, None, answer.NUM_BINS), call)
    expect_float(out, call)
    expect_finite(out, call)
    if not 1024 // answer.HOP - 1 <= out.shape[1] <= 1024 // answer.HOP + 1:
        raise AssertionError(f"{call} returned {out.shape[1]} frames; expected about 1024 / HOP = {1024 // answer.HOP}")


@pytest.mark.hint(4)
def test_spectrogram_peaks_at_the_tone(answer):
    x = (0.5 * np.sin(2 * np.pi * 1000.0 * np.arange(1024) / toy_data.SAMPLE_RATE)).astype(np.float32)
    out = as_array(answer.spectrogram(tf.constant(x[None])), "spectrogram(1000 Hz tone)")
    peak, expected = int(out[0].mean(axis=0).argmax()), round(1000.0 * answer.FRAME_LENGTH / toy_data.SAMPLE_RATE)
    if peak != expected:
        raise AssertionError(f"spectrogram(1000 Hz tone) peaks at bin {peak}; expected bin {expected} (1000 Hz x FRAME_LENGTH / 8000 Hz)")


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_spectrogram_is_finite_on_silence(answer):
    expect_finite(answer.spectrogram(tf.zeros((2, 1024))), "spectrogram(silence (2, 1024))")


@once_per_answer
def fresh_model(answer) -> keras.Model:
    """build_model(NUM_CLASSES), untrained (the checks that only call it share one)."""
    return answer.build_model(answer.NUM_CLASSES)


@pytest.mark.hint(5)
def test_model_returns_logits_for_every_frame(answer):
    model = fresh_model(answer)
    for frames in (16, 10):
        features = tf.constant(np.random.default_rng(frames).normal(size=(4, frames, answer.NUM_BINS)), tf.float32)
        call = f"model(features (4, {frames}, NUM_BINS))"
        out = expect_shape(model(features), (4, frames, answer.NUM_CLASSES), call)
        expect_float(out, call)
        expect_finite(out, call)


@pytest.mark.hint(5)
def test_model_scores_num_classes_classes(answer):
    model = answer.build_model(6)
    features = tf.constant(np.random.default_rng(3).normal(size=(2, 9, answer.NUM_BINS)), tf.float32)
    expect_shape(model(features), (2, 9, 6), "build_model(6)(features (2, 9, NUM_BINS))")


@pytest.mark.hint(5)
def test_model_returns_unnormalised_scores(answer):
    """Logits, not probabilities: a fresh model whose every frame is a distribution ends in a softmax."""
    model = fresh_model(answer)
    features = tf.constant(np.random.default_rng(4).normal(size=(4, 12, answer.NUM_BINS)), tf.float32)
    call = "model(features (4, 12, NUM_BINS))"
    out = expect_shape(model(features), (4, 12, answer.NUM_CLASSES), call)
    if out.min() >= 0.0 and out.max() <= 1.0 and np.allclose(out.sum(-1), 1.0, atol=1e-4):
        raise AssertionError(
            f"{call} returned a probability distribution for every frame (values in [0, 1] summing to 1); "
            "expected unnormalised logits: drop the softmax (the CTC loss applies its own)"
        )


@pytest.mark.points(2)
@pytest.mark.hint(1)
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
@pytest.mark.hint(2)
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
@pytest.mark.hint(1)
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


def ctc_cases() -> list[Case]:
    """ctc_loss inputs from small to large: rows with no words (all PAD), full rows with no PAD,
    repeated words, logit lengths shorter than the frames (never too short for the labels), zero
    logits (ties) and huge ones; the gradient is taken with respect to the logits."""
    rng = np.random.default_rng(23)
    cases = []
    for batch, frames, scale in ((1, 2, 1.0), (3, 6, 0.0), (6, 12, 30.0)):
        labels = np.zeros((batch, 4), np.int32)
        lengths = np.zeros(batch, np.int32)
        for row in range(batch):
            words = rng.choice((3, 5, 5, 7, 12), rng.integers(0, 5))
            if row == batch - 1 and batch > 2:
                words = np.array([4, 4, 9, 9])  # a full row of repeats, no PAD
            while len(words) + np.sum(words[1:] == words[:-1]) > frames:  # CTC needs a blank between repeats
                words = words[:-1]
            labels[row, : len(words)] = words
            needed = len(words) + int(np.sum(words[1:] == words[:-1]))
            lengths[row] = frames if row == 0 else rng.integers(max(needed, 1), frames + 1)
        logits = (scale * rng.normal(0.0, 1.0, (batch, frames, NUM_CLASSES))).astype(np.float32)
        label = f"labels {labels.tolist()}, logits ({batch}, {frames}, NUM_CLASSES) of scale {scale:g}, logit_lengths {lengths.tolist()}"
        cases.append(Case(label, (tf.constant(labels), logits, tf.constant(lengths)), wrt=(1,)))
    return cases


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_ctc_loss_matches_the_reference_on_random_logits(answer, reference):
    expect_matches_reference(
        "ctc_loss", answer.ctc_loss, reference.ctc_loss, ctc_cases(),
        "per-example CTC negative log-likelihood (batch,) float32: blank = BLANK, label length = non-PAD ids, "
        "frames past logit_lengths ignored, logits not probabilities", atol=1e-3, rtol=1e-4, same_dtype=True,
    )


Transcript = list[list[int]]


def as_transcripts(value, call: str) -> Transcript:
    """What greedy_decode returned, as a list of lists of Python ints (for comparing and for messages)."""
    try:
        return [[int(k) for k in row] for row in value]
    except Exception as exc:  # noqa: BLE001 - anything that is not rows of ids is the learner's return value
        raise AssertionError(f"{call} returned {type(value).__name__} ({exc}); expected a list of lists of int") from None


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_greedy_decode_merges_repeats_then_drops_blanks(answer):
    logits = sharp_logits(answer, [[5, 5, "b", 5, 7, 7, "b", "b"], ["b", "b", 3, 3, 3, "b", 4, "b"]])
    out = answer.greedy_decode(tf.constant(logits))
    expected = [[5, 5, 7], [3, 4]]
    if [list(map(int, row)) for row in out] != expected:
        raise AssertionError(
            f"greedy_decode(logits whose best classes are 5 5 _ 5 7 7 _ _ and _ _ 3 3 3 _ 4 _) returned {out}; "
            f"expected {expected}: merge repeated classes first, then remove blanks"
        )


@pytest.mark.hint(3)
def test_greedy_decode_stops_at_the_logit_length(answer):
    logits = sharp_logits(answer, [[5, "b", 7, "b", 9, 9], [4, 4, "b", 6, 6, 6]])
    out = answer.greedy_decode(tf.constant(logits), tf.constant([3, 6]))
    if [list(map(int, row)) for row in out] != [[5, 7], [4, 6]]:
        raise AssertionError(f"greedy_decode(logits, logit_lengths=[3, 6]) returned {out}; expected [[5, 7], [4, 6]] (frames past a row's length are ignored)")


def scripted_logits(rng: np.random.Generator, paths: np.ndarray) -> np.ndarray:
    """Random logits (batch, frames, NUM_CLASSES) whose argmax at each frame is ``paths[row, frame]``,
    by a margin of at least 2 (no ties)."""
    logits = rng.normal(0.0, 1.0, (*paths.shape, NUM_CLASSES)).clip(-3.0, 3.0)
    np.put_along_axis(logits, paths[..., None], 8.0, axis=-1)
    return logits.astype(np.float32)


def decoding_cases() -> list[tuple[str, np.ndarray, np.ndarray | None]]:
    """(label, logits, logit_lengths or None) from small to large: runs of repeats with and without
    blanks between them, class 0 (PAD), all-blank rows, one frame, one row, lengths shorter than the frames."""
    rng = np.random.default_rng(17)
    cases = []
    for batch, frames, alphabet, with_lengths in (
        (1, 1, (5,), False), (1, 1, (BLANK,), True), (2, 4, (0, BLANK), False), (1, 6, (5, BLANK), True),
        (3, 8, (0, 5, 7, BLANK), False), (4, 8, (0, 5, 7, BLANK), True), (6, 12, tuple(range(NUM_CLASSES)), True),
        (8, 16, (0, 3, 3, 5, BLANK, BLANK), True), (16, 16, tuple(range(NUM_CLASSES)), False),
    ):
        paths = rng.choice(alphabet, (batch, frames))
        paths = np.repeat(paths, rng.integers(1, 3, frames), axis=1)[:, :frames]  # runs of repeats
        if batch > 2:
            paths[1] = BLANK  # an all-blank row
        lengths = rng.integers(1, frames + 1, batch).astype(np.int32) if with_lengths else None
        if lengths is not None and batch > 1:
            lengths[0] = frames
        label = f"scripted logits ({batch}, {frames}, NUM_CLASSES), best classes from {sorted(set(alphabet))}" + (
            f", logit_lengths={lengths.tolist()}" if with_lengths else "")
        cases.append((label, scripted_logits(rng, paths), lengths))
    return cases


def decode(function, logits: np.ndarray, lengths: np.ndarray | None):
    """``function(logits)`` or ``function(logits, logit_lengths)``, with tensors as a model would give them."""
    if lengths is None:
        return function(tf.constant(logits))
    return function(tf.constant(logits), tf.constant(lengths))


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_greedy_decode_matches_the_reference_on_scripted_logits(answer, reference):
    """Per row: argmax per frame up to the row's length, repeats merged, then blanks dropped (and only
    blanks: class 0 stays)."""
    for label, logits, lengths in decoding_cases():
        call = f"greedy_decode({label})"
        got = as_transcripts(decode(answer.greedy_decode, logits, lengths), call)
        expected = as_transcripts(decode(reference.greedy_decode, logits, lengths), "reference greedy_decode")
        if got != expected:
            row = next((i for i, (g, e) in enumerate(zip(got, expected)) if g != e), min(len(got), len(expected)))
            best = logits.argmax(-1)[row].tolist() if row < len(logits) else None
            raise AssertionError(
                f"{call} returned {got}; expected {expected} (row {row}: best classes {best}"
                f"{'' if lengths is None else f', length {lengths[row]}'}; merge repeats, then drop blanks = {BLANK} only)"
            )


@pytest.mark.hint(3)
def test_greedy_decode_returns_lists_of_python_ints(answer):
    logits = sharp_logits(answer, [[5, 5, "b", 5, 7, 7, "b", "b"], ["b", 0, 0, "b", 4, 4, 4, "b"]])
    call = "greedy_decode(logits whose best classes are 5 5 _ 5 7 7 _ _ and _ 0 0 _ 4 4 4 _)"
    out = answer.greedy_decode(tf.constant(logits))
    if not isinstance(out, list) or not all(isinstance(row, list) for row in out):
        raise AssertionError(f"{call} returned {type(out).__name__} {out!r}; expected a list of lists of Python int")
    kinds = sorted({type(k).__name__ for row in out for k in row if not isinstance(k, int) or isinstance(k, bool)})
    if kinds:
        raise AssertionError(f"{call} returned ids of type {', '.join(kinds)}: {out!r}; expected Python int (e.g. via .tolist() or int(k))")


@pytest.mark.hint(6)
def test_transcribe_decodes_the_model_logits_of_the_spectrogram(answer, reference):
    model = fresh_model(answer)
    audio, _ = toy(3, seed=3)
    expected = as_transcripts(reference.greedy_decode(model(answer.spectrogram(audio), training=False)), "greedy_decode")
    call = "transcribe(fresh model, audio (3, 1024))"
    got = as_transcripts(answer.transcribe(model, audio), call)
    if got != expected:
        raise AssertionError(f"{call} returned {got}; expected {expected} = greedy_decode(model(spectrogram(audio), training=False))")


@pytest.mark.points(3)
@pytest.mark.hint(7)
def test_train_step_applies_one_update_of_the_mean_ctc_loss(answer, reference):
    """With SGD, one train_step must return the mean CTC loss of model(spectrogram(audio), training=True)
    with every frame valid, and move every trainable weight by -learning_rate times its gradient
    (Dropout replays its masks)."""
    model = answer.build_model(answer.NUM_CLASSES)
    audio, labels = toy(8)
    features = answer.spectrogram(audio)
    model(features)  # builds a model that creates its weights on the first call
    back = rewind(model)
    before = snapshot(model.trainable_variables)

    def mean_ctc() -> tf.Tensor:
        logits = model(features, training=True)
        frames = tf.fill([tf.shape(logits)[0]], tf.shape(logits)[1])
        return tf.reduce_mean(reference.ctc_loss(labels, logits, frames))

    expected, gradients = contract_gradients(mean_ctc, model.trainable_variables)
    back()
    optimizer = keras.optimizers.SGD(SGD_LEARNING_RATE)
    call = f"train_step(model, SGD({SGD_LEARNING_RATE:g}), audio (8, 1024), labels (8, 4))"
    loss = answer.train_step(model, optimizer, audio, labels)
    expect_close(loss, expected, call,
                 "mean CTC loss of model(spectrogram(audio), training=True) over the batch, label lengths = non-PAD ids, "
                 "every frame valid, blank = BLANK, before the update", atol=1e-4, rtol=1e-4)
    expect_sgd_update(model.trainable_variables, before, gradients, SGD_LEARNING_RATE, call, "the mean CTC loss")
    expect_one_update(optimizer, call)


def held_out_reading(answer, model) -> tuple[list, list[list[int]], list[bool], bool]:
    """What transcribe makes of 200 clips that no training run hears, their words, which clips it
    read exactly, and whether that is at least HELD_OUT_SHARE of them."""
    test = toy_data.make_batch(200, seed=2)
    expected = [[int(t) for t in row if t != PAD] for row in toy_data.word_ids(test.captions)]
    got = answer.transcribe(model, tf.constant(test.audio))
    right = [list(map(int, g)) == e for g, e in zip(got, expected)]
    return got, expected, right, len(got) == len(expected) and np.mean(right) >= HELD_OUT_SHARE


@once_per_answer
def training_run(answer) -> tuple[keras.Model, list[float], tuple | None]:
    """Up to LEARNING_STEPS train_step calls with Adam(LEARNING_RATE_ADAM) on batches of 32 drawn from
    512 toy clips, stopping at the first checkpoint (every 50 calls) where the model reads the
    held-out clips well: the trained model, the loss of each call, and the held_out_reading that
    stopped the run (None if none did: it ran all its calls). Both learning checks read this run."""
    train = toy_data.make_batch(512, seed=1)
    audio, labels = train.audio, toy_data.word_ids(train.captions)
    model = answer.build_model(answer.NUM_CLASSES)
    optimizer = FusedAdam(LEARNING_RATE_ADAM)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model))
    readings = []

    def learned() -> bool:
        readings.append(held_out_reading(answer, model))
        return readings[-1][-1]

    losses = losses_on_random_batches(lambda x, y: step(model, optimizer, x, y), (audio, labels), LEARNING_STEPS, learned=learned)
    return model, losses, readings[-1] if readings and readings[-1][-1] else None


@pytest.mark.training
@pytest.mark.hint(7)
def test_loss_falls_while_training(answer):
    expect_losses_fell(training_run(answer)[1], 0.5, f"batches of 32 toy clips with Adam({LEARNING_RATE_ADAM:g})")


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(2)
def test_model_reads_held_out_audio(answer, exhibit):
    """By the end of the training run, transcribe must read at least 95% of 200 other clips as
    exactly their words (the reference, and two Conv1D(96, 3) layers, get all right after 50 steps,
    a sound bidirectional LSTM after 150; a LayerNormalization over each frame's bins makes
    convolutional models train far more reliably, see the hints)."""
    model, losses, stopped_by = training_run(answer)
    got, expected, right, enough = stopped_by or held_out_reading(answer, model)  # the model has not moved since
    exhibit(lambda: exhibits.texts("transcribe of held-out clips after training: heard / said",
                                   (f"{' '.join(toy_data.decode(g))} / {' '.join(toy_data.decode(e))}" for g, e in zip(got, expected))))
    if not enough:
        example = next((i for i, ok in enumerate(right) if not ok), 0)
        raise AssertionError(
            f"after {len(losses)} train_step calls with Adam({LEARNING_RATE_ADAM:g}) (last loss {losses[-1]:.3g}), transcribe read "
            f"{int(np.sum(right))}/{len(expected)} held-out clips exactly; expected at least {HELD_OUT_SHARE:.0%}. "
            f"E.g. it heard {list(got[example]) if got else None} for {expected[example]}"
        )
