"""Checks for image_captioning: shapes, the decoder seeing the image and only earlier tokens,
the teacher-forcing shift, the padding-masked loss, the training step, greedy decoding rules,
beam search (bonus), and that the captioner learns to caption the toy images."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_float,
    expect_losses_fell,
    expect_one_update,
    expect_scalar,
    expect_sgd_update,
    expect_shape,
    expect_step_updated,
    once_per_answer,
    ready_to_compile,
    rewind,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
PAD, START, END = toy_data.PAD, toy_data.START, toy_data.END
LEARNING_STEPS = 80
LEARNING_RATE = 0.5  # SGD's rate in the update check: large enough that every weight visibly moves


def toy(n: int = 8, seed: int = 0):
    """Toy images and captions as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


def logits_of(model, images, tokens, call: str) -> np.ndarray:
    return as_array(model([images, tokens], training=False), call)


def reference_masked_loss(targets, logits) -> float:
    """Mean cross-entropy over the non-PAD targets, in float64."""
    targets, logits = np.asarray(targets), np.asarray(logits, np.float64)
    shifted = logits - logits.max(-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    picked = np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    mask = targets != PAD
    return float(-(picked * mask).sum() / mask.sum())


class ScriptedCaptioner:
    """A stand-in captioner whose next token depends only on the last input token.

    ``table[a]`` holds the next-token probabilities after token ``a``; it answers
    ``model([images, tokens], training=False)`` with log-probabilities as logits.
    """

    def __init__(self, table: np.ndarray):
        self.logits = tf.constant(np.log(np.clip(table, 1e-9, None)), tf.float32)

    def __call__(self, inputs, training=False):
        _, tokens = inputs
        return tf.gather(self.logits, tf.cast(tokens, tf.int32))


def scripted(chain: dict, vocab: int = VOCAB) -> ScriptedCaptioner:
    """A captioner that always says chain[last token] (a sure next token); other tokens go to 3."""
    table = np.full((vocab, vocab), 1e-6)
    for a in range(vocab):
        table[a, chain.get(a, 3)] = 1.0
    return ScriptedCaptioner(table / table.sum(1, keepdims=True))


def test_image_encoder_returns_one_vector_per_image(answer):
    images, _ = toy(8)
    call = "build_image_encoder(20)(images (8, 28, 28, 1))"
    out = expect_shape(answer.build_image_encoder(20)(images), (8, 20), call)
    expect_float(out, call)
    expect_finite(out, call)


def test_captioner_returns_logits_for_every_position(answer):
    model = answer.build_captioner(VOCAB)
    images, captions = toy(8)
    for length in (5, 2):
        call = f"captioner([images (8, 28, 28, 1), tokens (8, {length})])"
        out = expect_shape(model([images, captions[:, :length]]), (8, length, VOCAB), call)
        expect_float(out, call)
        expect_finite(out, call)


def test_captioner_returns_logits_not_probabilities(answer):
    model = answer.build_captioner(VOCAB)
    images, captions = toy(8)
    out = logits_of(model, images, captions[:, :5], "captioner([images, tokens])")
    if out.min() >= 0.0 and np.allclose(out.sum(-1), 1.0, atol=1e-3):
        raise AssertionError(
            "captioner([images, tokens]) returned rows that are non-negative and sum to 1: probabilities. "
            "Return logits (no softmax on the last layer); the loss applies the softmax"
        )


@pytest.mark.points(2)
def test_decoder_sees_the_image_from_the_first_step(answer):
    model = answer.build_captioner(VOCAB)
    images, captions = toy(8, seed=0)
    other = tf.reverse(images, axis=[0])  # each row gets another scene (toy batch 0 has no palindromic pair)
    a = logits_of(model, images, captions[:, :5], "captioner([images, tokens])")
    b = logits_of(model, other, captions[:, :5], "captioner([other images, tokens])")
    diff = np.abs(a - b).max(axis=-1)  # (batch, position)
    if diff[:, 0].min() < 1e-6:
        raise AssertionError(
            "captioner([images, tokens]) gave the same logits at position 0 (the <start> token) for different "
            f"images (smallest change {diff[:, 0].min():.2g}); the decoder must see the image, e.g. through its "
            "initial state or as an input at every step"
        )
    if diff.min() < 1e-6:
        raise AssertionError("captioner logits at some later position did not depend on the image; every step must be conditioned on it")


@pytest.mark.points(2)
def test_captioner_uses_only_earlier_tokens(answer):
    model = answer.build_captioner(VOCAB)
    images, captions = toy(8)
    tokens = captions[:, :5].numpy()
    changed_tokens = tokens.copy()
    changed_tokens[:, 3] = (tokens[:, 3] % (VOCAB - 3)) + 3  # another word at position 3
    changed_tokens[:, 3] = np.where(changed_tokens[:, 3] == tokens[:, 3], 4, changed_tokens[:, 3])
    a = logits_of(model, images, tf.constant(tokens), "captioner([images, tokens])")
    b = logits_of(model, images, tf.constant(changed_tokens), "captioner([images, tokens with position 3 changed])")
    early = np.abs(a[:, :3] - b[:, :3]).max()
    if early > 1e-5:
        raise AssertionError(
            f"changing the input token at position 3 changed the logits at positions 0-2 by up to {early:.3g}; "
            "position i may only see tokens 0..i (a causal decoder; no bidirectional layer or look-ahead)"
        )
    if np.abs(a[:, 3] - b[:, 3]).max(axis=-1).min() < 1e-6:
        raise AssertionError("changing the input token at position 3 did not change the logits at position 3; the decoder must read its tokens")


def test_teacher_forcing_shifts_targets_by_one(answer):
    _, captions = toy(8)
    out = answer.teacher_forcing(captions)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise AssertionError(f"teacher_forcing(captions) returned {type(out).__name__}; expected a pair (inputs, targets)")
    inputs = expect_shape(out[0], (8, toy_data.MAX_LEN - 1), "teacher_forcing(captions (8, 6))[0] (inputs)")
    targets = expect_shape(out[1], (8, toy_data.MAX_LEN - 1), "teacher_forcing(captions (8, 6))[1] (targets)")
    expected_targets = captions.numpy()[:, 1:]
    if not np.array_equal(targets, expected_targets):
        raise AssertionError(
            f"teacher_forcing(captions)[1] returned {targets[0].tolist()} for {captions.numpy()[0].tolist()}; "
            f"expected the caption without <start>: {expected_targets[0].tolist()}"
        )
    real = expected_targets != PAD  # inputs may differ where the target is padding (its loss is masked)
    if not np.array_equal(inputs[real], captions.numpy()[:, :-1][real]):
        raise AssertionError(
            f"teacher_forcing(captions)[0] returned {inputs[0].tolist()} for {captions.numpy()[0].tolist()}; "
            f"expected the caption without its last token: {captions.numpy()[0, :-1].tolist()} (inputs lead targets by one step)"
        )


def hand_made_loss_inputs():
    rng = np.random.default_rng(7)
    targets = np.array([[5, 6, END, PAD, PAD], [4, 8, 10, 11, END]], np.int32)
    logits = rng.normal(0.0, 2.0, (2, 5, VOCAB)).astype(np.float32)
    return targets, logits


@pytest.mark.points(2)
def test_masked_loss_is_the_mean_over_real_tokens(answer):
    targets, logits = hand_made_loss_inputs()
    out = answer.masked_loss(tf.constant(targets), tf.constant(logits))
    expect_close(out, reference_masked_loss(targets, logits), "masked_loss(targets (2, 5) with 2 PAD, logits)",
                 "cross-entropy summed over the 8 non-PAD targets, divided by 8", atol=1e-5, rtol=1e-5)


@pytest.mark.points(2)
def test_masked_loss_ignores_logits_at_padded_positions(answer):
    targets, logits = hand_made_loss_inputs()
    before = as_array(answer.masked_loss(tf.constant(targets), tf.constant(logits)), "masked_loss(targets, logits)")
    noisy = logits.copy()
    noisy[0, 3:] = np.random.default_rng(8).normal(0.0, 10.0, noisy[0, 3:].shape)
    after = as_array(answer.masked_loss(tf.constant(targets), tf.constant(noisy)), "masked_loss(targets, new logits)")
    if not np.allclose(before, after, atol=1e-6):
        raise AssertionError(
            f"masked_loss changed from {before:.6g} to {after:.6g} when only the logits at PAD targets changed; "
            "padded positions must not count (multiply by a mask of targets != PAD)"
        )


@once_per_answer
def warm_up_steps(answer) -> tuple[keras.Model, object, list[np.ndarray], list[np.ndarray]]:
    """Five train_step calls (Adam, 1e-2) on a fresh captioner and toy(16): the captioner, what the
    first call returned, and the trainable weights just before and just after that call (the
    update check reads the first call; the loss check takes one more step from the warmed-up model).

    The warm-up makes the logits far from uniform, where a wrong pairing of inputs and targets
    would give nearly the same loss as the right one.
    """
    model = answer.build_captioner(VOCAB)
    images, captions = toy(16)
    model([images, captions[:, :-1]])
    optimizer = keras.optimizers.Adam(1e-2)
    before = snapshot(model.trainable_variables)
    first = answer.train_step(model, optimizer, images, captions)
    after = snapshot(model.trainable_variables)
    for _ in range(4):
        answer.train_step(model, optimizer, images, captions)
    return model, first, before, after


@pytest.mark.points(2)
def test_train_step_applies_one_update_of_the_teacher_forced_masked_loss(answer, reference):
    """From the warmed-up captioner, one train_step with SGD must return the masked loss of
    captioner([images, captions[:, :-1]], training=True) against captions[:, 1:] and move every
    trainable weight by -learning_rate times that loss's gradient (Dropout replays its masks)."""
    model = warm_up_steps(answer)[0]
    images, captions = toy(16)
    back = rewind(model)
    before = snapshot(model.trainable_variables)
    expected, gradients = contract_gradients(
        lambda: reference.masked_loss(captions[:, 1:], model([images, captions[:, :-1]], training=True)),
        model.trainable_variables,
    )
    back()
    optimizer = keras.optimizers.SGD(LEARNING_RATE)
    call = f"train_step(captioner, SGD({LEARNING_RATE}), images, captions)"
    loss = answer.train_step(model, optimizer, images, captions)
    expect_close(loss, expected, call,
                 "masked cross-entropy of captioner([images, captions[:, :-1]], training=True) against captions[:, 1:], "
                 "before the update", atol=1e-4, rtol=1e-4)
    expect_sgd_update(model.trainable_variables, before, gradients, LEARNING_RATE, call, "the masked loss")
    expect_one_update(optimizer, call)


def test_train_step_updates_the_weights_and_returns_a_finite_loss(answer):
    _, first, before, after = warm_up_steps(answer)
    expect_step_updated(first, before, after)


def test_greedy_decode_returns_token_ids(answer):
    model = answer.build_captioner(VOCAB)
    images, _ = toy(6)
    out = answer.greedy_decode(model, images, max_len=5)
    call = "greedy_decode(captioner, images (6, 28, 28, 1), max_len=5)"
    out = expect_shape(out, (6, 5), call)
    if not np.issubdtype(out.dtype, np.integer):
        raise AssertionError(f"{call} returned dtype {out.dtype}; expected integer token ids")
    if out.min() < 0 or out.max() >= VOCAB:
        raise AssertionError(f"{call} returned ids in [{out.min()}, {out.max()}]; expected ids in [0, {VOCAB})")


@pytest.mark.points(2)
def test_greedy_decode_stops_at_end(answer):
    # <start> -> 5 -> 7 -> <end>; after <end> this model would go on with 9s
    model = scripted({START: 5, 5: 7, 7: END, END: 9, 9: 9, PAD: 9})
    images, _ = toy(3)
    out = expect_shape(answer.greedy_decode(model, images, max_len=5), (3, 5), "greedy_decode(model, images (3, ...), max_len=5)")
    expected = [5, 7, END, PAD, PAD]
    if out.tolist() != [expected] * 3:
        raise AssertionError(
            f"greedy_decode with a model that says <start> 5 7 <end> returned {out[0].tolist()}; expected {expected}: "
            "keep the first <end> and pad with PAD after it"
        )


def test_greedy_decode_respects_the_length_cap(answer):
    model = scripted({START: 5, 5: 6, 6: 5})  # never says <end>
    images, _ = toy(2)
    out = expect_shape(answer.greedy_decode(model, images, max_len=3), (2, 3), "greedy_decode(model that never ends, images (2, ...), max_len=3)")
    if out.tolist() != [[5, 6, 5]] * 2:
        raise AssertionError(f"greedy_decode with a model that alternates 5, 6 and max_len=3 returned {out[0].tolist()}; expected [5, 6, 5]")


def beam_example() -> ScriptedCaptioner:
    """Greedy takes 5 (p=0.55) and then at best 0.34; the caption 6 <end> is more likely (0.45)."""
    table = np.full((VOCAB, VOCAB), 1e-6)
    table[START, 5], table[START, 6] = 0.55, 0.45
    table[5, 7], table[5, 8], table[5, 9] = 0.34, 0.33, 0.33
    table[6, END] = 1.0
    for token in (7, 8, 9):
        table[token, END] = 1.0
    table[END, 9] = table[PAD, 9] = 1.0
    table[table.sum(1) < 0.5, END] = 1.0
    return ScriptedCaptioner(table / table.sum(1, keepdims=True))


def test_beam_search_finds_a_more_likely_caption_than_greedy(answer):
    images, _ = toy(2)
    out = expect_shape(answer.beam_search(beam_example(), images, beam_width=2, max_len=5), (2, 5),
                       "beam_search(model, images (2, ...), beam_width=2, max_len=5)")
    expected = [6, END, PAD, PAD, PAD]
    if out.tolist() != [expected] * 2:
        raise AssertionError(
            f"beam_search with width 2 returned {out[0].tolist()}; expected {expected} (probability 0.45), "
            "which beats greedy's 5 7 <end> (0.55 x 0.34 = 0.19)"
        )


def test_beam_search_with_width_one_is_greedy(answer):
    model = answer.build_captioner(VOCAB)
    images, _ = toy(3, seed=2)
    greedy = answer.greedy_decode(model, images, max_len=5)
    beam = answer.beam_search(model, images, beam_width=1, max_len=5)
    if not np.array_equal(np.asarray(beam), np.asarray(greedy)):
        raise AssertionError(f"beam_search(..., beam_width=1) returned {np.asarray(beam)[0].tolist()}; greedy_decode returned {np.asarray(greedy)[0].tolist()}")


@once_per_answer
def training_run(answer) -> tuple[keras.Model, list[float]]:
    """LEARNING_STEPS train_step calls on one batch of 64 toy images and captions: the trained
    captioner and the loss of each call (both learning checks read this one run)."""
    model = answer.build_captioner(VOCAB)
    images, captions = toy(64, seed=10)
    optimizer = keras.optimizers.Adam(1e-2)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model))
    return model, [expect_scalar(step(model, optimizer, images, captions), "train_step(...)") for _ in range(LEARNING_STEPS)]


@pytest.mark.training
def test_loss_falls_when_overfitting_one_batch(answer):
    expect_losses_fell(training_run(answer)[1], 0.5, "one batch of 64")


@pytest.mark.training
@pytest.mark.points(3)
def test_captioner_learns_the_training_captions(answer):
    """After the training run, caption its 64 images greedily: every caption must come back word
    for word (sound answers get there in about 50 steps)."""
    model, losses = training_run(answer)
    images, captions = toy(64, seed=10)
    out = np.asarray(answer.greedy_decode(model, images, max_len=toy_data.MAX_LEN - 1))
    right = (out == captions.numpy()[:, 1:]).all(axis=1)
    if not right.all():
        wrong = int(np.argmin(right))
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls (last loss {losses[-1]:.3g}), greedy_decode got "
            f"{int(right.sum())}/64 training captions exactly right; expected all. E.g. it said "
            f"{toy_data.decode(out[wrong])} for {toy_data.decode(captions.numpy()[wrong, 1:])}"
        )
