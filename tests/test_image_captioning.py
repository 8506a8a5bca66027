"""Checks for image_captioning: shapes, the decoder seeing the image and only earlier tokens,
the teacher-forcing shift, the padding-masked loss (against the reference, in values and
gradients), the training step (one SGD update of the contract's loss), greedy decoding and beam
search (bonus) against the reference on a scripted captioner, and that the captioner learns to
caption the toy images."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from mmgen import exhibits, toy_data
from mmgen.captioners import PrefixCaptioner, ScriptedCaptioner, expect_same_captions, random_images, scripted
from mmgen.checks import (
    all_variables,
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
PAD, START, END = toy_data.PAD, toy_data.START, toy_data.END
LEARNING_RATE = 0.5  # SGD's rate in the update check: large enough that every weight visibly moves
# The learning checks' budget, as the exercise's docstring states it.
LEARNING_STEPS = 60
LEARNING_ADAM_RATE = 5e-3
LEARNING_BATCH, LEARNING_SEED = 64, 10
CAPTIONS_LEARNED = 60  # of the LEARNING_BATCH training captions, greedily decoded word for word
WARM_STEPS = 10  # the update check starts from the training run's captioner after this many train_step calls


def toy(n: int = 8, seed: int = 0):
    """Toy images and captions as tensors."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


@fresh_per_answer
def captioner_of(answer) -> keras.Model:
    """build_captioner(VOCAB), built once per answer from the checks' seed; each check that uses it starts
    from its initial weights, whatever ran before."""
    model = answer.build_captioner(VOCAB)
    images, captions = toy(1)
    if not model.built:  # a subclassed model makes its variables on its first call; rewind must see them all
        model([images, captions[:, :1]], training=False)
    return model


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


@pytest.mark.hint(4)
def test_image_encoder_returns_one_vector_per_image(answer):
    images, _ = toy(8)
    call = "build_image_encoder(20)(images (8, 28, 28, 1))"
    out = expect_shape(answer.build_image_encoder(20)(images), (8, 20), call)
    expect_float(out, call)
    expect_finite(out, call)


@pytest.mark.hint(4)
def test_captioner_returns_logits_for_every_position(answer):
    model = captioner_of(answer)  # a fresh build_captioner(VOCAB)
    images, captions = toy(8)
    for length in (5, 2, 1):
        call = f"captioner([images (8, 28, 28, 1), tokens (8, {length})])"
        out = expect_shape(model([images, captions[:, :length]]), (8, length, VOCAB), call)
        expect_float(out, call)
        expect_finite(out, call)


@pytest.mark.hint(4)
def test_captioner_reads_every_id_of_its_vocabulary(answer):
    """build_captioner(vocab_size) takes ids 0..vocab_size - 1, the largest included, and gives
    vocab_size logits per position."""
    vocab = 17
    model = answer.build_captioner(vocab, hidden=24)
    images, _ = toy(3)
    tokens = tf.constant([[START, vocab - 1, 5], [START, 3, vocab - 1], [START, vocab - 2, END]], tf.int32)
    call = f"build_captioner({vocab}, hidden=24)([images (3, 28, 28, 1), tokens {tokens.numpy().tolist()}])"
    expect_finite(expect_shape(model([images, tokens]), (3, 3, vocab), call), call)


@pytest.mark.hint(4)
def test_captioner_returns_logits_not_probabilities(answer):
    model = captioner_of(answer)  # a fresh build_captioner(VOCAB)
    images, captions = toy(8)
    out = logits_of(model, images, captions[:, :5], "captioner([images, tokens])")
    if out.min() >= 0.0 and np.allclose(out.sum(-1), 1.0, atol=1e-3):
        raise AssertionError(
            "captioner([images, tokens]) returned rows that are non-negative and sum to 1: probabilities. "
            "Return logits (no softmax on the last layer); the loss applies the softmax"
        )


@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_decoder_sees_the_image_from_the_first_step(answer):
    model = captioner_of(answer)  # a fresh build_captioner(VOCAB)
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
@pytest.mark.hint(4)
def test_captioner_uses_only_earlier_tokens(answer):
    model = captioner_of(answer)  # a fresh build_captioner(VOCAB)
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


@pytest.mark.hint(2)
def test_teacher_forcing_shifts_targets_by_one(answer):
    _, captions = toy(8)
    out = answer.teacher_forcing(captions)
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        raise AssertionError(f"teacher_forcing(captions) returned {type(out).__name__}; expected a pair (inputs, targets)")
    inputs = expect_shape(out[0], (8, toy_data.MAX_LEN - 1), "teacher_forcing(captions (8, 6))[0] (inputs)")
    targets = expect_shape(out[1], (8, toy_data.MAX_LEN - 1), "teacher_forcing(captions (8, 6))[1] (targets)")
    for name, got, want, what in (
        ("[1] (targets)", targets, captions.numpy()[:, 1:], "the caption without <start>"),
        ("[0] (inputs)", inputs, captions.numpy()[:, :-1],
         "the caption without its last token, <end> and PAD left as they are (inputs lead targets by one step)"),
    ):
        if not np.array_equal(got, want):
            row = int(np.flatnonzero((got != want).any(axis=1))[0])
            raise AssertionError(
                f"teacher_forcing(captions){name} returned {got[row].tolist()} for caption {captions.numpy()[row].tolist()}; "
                f"expected {what}: {want[row].tolist()}"
            )


@pytest.mark.hint(2)
def test_teacher_forcing_matches_the_contract_on_many_batches(answer, reference):
    """Batches of 1 to 32 toy captions, and captions with no PAD at all: both halves int32."""
    full = np.array([[START, 3, 5, 9, 10, END], [START, 4, 8, 11, 12, END]], np.int32)
    batches = [toy_data.make_batch(n, seed).captions for n, seed in ((1, 3), (5, 4), (32, 5))] + [full]
    cases = [Case(f"captions {fmt(c) if len(c) < 3 else f'of shape {c.shape}'}", (tf.constant(c),)) for c in batches]
    expect_matches_reference("teacher_forcing", answer.teacher_forcing, reference.teacher_forcing, cases,
                             "inputs = captions[:, :-1], targets = captions[:, 1:], both int32", same_dtype=True)


def hand_made_loss_inputs():
    rng = np.random.default_rng(7)
    targets = np.array([[5, 6, END, PAD, PAD], [4, 8, 10, 11, END]], np.int32)
    logits = rng.normal(0.0, 2.0, (2, 5, VOCAB)).astype(np.float32)
    return targets, logits


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_masked_loss_is_the_mean_over_real_tokens(answer):
    targets, logits = hand_made_loss_inputs()
    out = answer.masked_loss(tf.constant(targets), tf.constant(logits))
    expect_close(out, reference_masked_loss(targets, logits), "masked_loss(targets (2, 5) with 2 PAD, logits)",
                 "cross-entropy summed over the 8 non-PAD targets, divided by 8", atol=1e-5, rtol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(2)
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


def masked_loss_cases() -> list[Case]:
    """Targets from one real token to toy batches of 16, captions of different lengths, fully padded
    rows, other vocabulary sizes, and logits that are all equal, huge (±100) or random."""
    rng = np.random.default_rng(11)
    toy_targets = toy_data.make_batch(16, 6).captions[:, 1:]
    padded_row = np.array([[5, END, PAD, PAD], [PAD, PAD, PAD, PAD], [7, 8, 9, END]], np.int32)
    target_sets = [
        np.array([[END]], np.int32),
        np.array([[4, PAD, PAD]], np.int32),
        padded_row,
        toy_targets,
        rng.integers(0, 30, (4, 7)).astype(np.int32),
    ]
    cases = []
    for targets in target_sets:
        vocab = 30 if targets.max() >= VOCAB else VOCAB
        shape = targets.shape + (vocab,)
        huge = rng.choice([-100.0, 100.0], shape)
        for name, logits in (("zeros", np.zeros(shape)), ("normal(0, 3)", rng.normal(0.0, 3.0, shape)), ("±100", huge)):
            label = f"targets {fmt(targets) if targets.size <= 12 else f'of shape {targets.shape}'}, logits {shape} {name}"
            cases.append(Case(label, (tf.constant(targets), logits.astype(np.float32)), wrt=(1,)))
    return cases


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_masked_loss_matches_the_contract_in_values_and_gradients(answer, reference):
    expect_matches_reference(
        "masked_loss", answer.masked_loss, reference.masked_loss, masked_loss_cases(),
        "a float32 scalar: cross-entropy from logits summed over the non-PAD targets and divided by their count; "
        "the gradient is (softmax - one_hot) / count at real targets and 0 at PAD", same_dtype=True,
    )


@pytest.mark.training  # it reads the training run, so it runs beside the learning checks that share it
@pytest.mark.points(2)
@pytest.mark.hint(5)
def test_train_step_applies_one_update_of_the_teacher_forced_masked_loss(answer, reference):
    """From a warmed-up captioner, one train_step with SGD must return the masked loss of
    captioner([images, captions[:, :-1]], training=True) against captions[:, 1:] and move every
    trainable weight by -learning_rate times that loss's gradient (Dropout replays its masks).

    The warm-up is the training run's first WARM_STEPS steps (put back afterwards): it makes the
    logits far from uniform, where a wrong pairing of inputs and targets would give nearly the same
    loss as the right one."""
    model, _, warm = training_run(answer)
    variables = all_variables(model)
    trained = snapshot(variables)
    restore(variables, warm)
    try:
        expect_one_sgd_update(answer, reference, model)
    finally:
        restore(variables, trained)  # the learning checks read the trained captioner


def expect_one_sgd_update(answer, reference, model: keras.Model) -> None:
    """One train_step of ``answer`` with SGD(LEARNING_RATE) on toy(16), against the contract's loss and its gradient."""
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


@pytest.mark.points(2)
@pytest.mark.hint(3)
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


@pytest.mark.hint(3)
def test_greedy_decode_respects_the_length_cap(answer):
    model = scripted({START: 5, 5: 6, 6: 5})  # never says <end>
    images, _ = toy(2)
    out = expect_shape(answer.greedy_decode(model, images, max_len=3), (2, 3), "greedy_decode(model that never ends, images (2, ...), max_len=3)")
    if out.tolist() != [[5, 6, 5]] * 2:
        raise AssertionError(f"greedy_decode with a model that alternates 5, 6 and max_len=3 returned {out[0].tolist()}; expected [5, 6, 5]")


DECODING_CASES = ((1, 1), (1, 5), (4, 3), (6, 5), (5, 8))  # (images, max_len): max_len 1, the default, and longer


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_greedy_decode_matches_the_contract_on_a_scripted_captioner(answer, reference):
    """On a stand-in captioner whose logits depend on the image and the whole prefix, rows that end
    at different steps, and max_len from 1 to 8: the same int32 ids as the reference."""
    for seed, (n, max_len) in enumerate(DECODING_CASES):
        images = random_images(n, seed)
        expected = reference.greedy_decode(PrefixCaptioner(seed), images, max_len=max_len)
        got = answer.greedy_decode(PrefixCaptioner(seed), images, max_len=max_len)
        expect_same_captions(
            f"greedy_decode(scripted captioner, images ({n}, 28, 28, 1), max_len={max_len})", got, expected,
            "each row: the argmax of the logits at the last position of its own prefix, fed back from <start> "
            "until that row's first <end> (then PAD) or max_len tokens",
        )


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


@pytest.mark.hint(6)
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


@pytest.mark.hint(6)
def test_beam_search_returns_the_most_likely_caption_not_the_first_to_end(answer):
    """Width 2: after two steps the beam holds 5 7 (0.42) and the finished 6 <end> (0.40); one step
    later 5 7 <end> (0.42) has the larger sum and must win."""
    table = np.full((VOCAB, VOCAB), 1e-6)
    table[START, 5], table[START, 6] = 0.6, 0.4
    table[5, 7], table[5, END] = 0.7, 0.3
    table[6, END] = table[7, END] = table[END, 9] = table[PAD, 9] = 1.0
    table[table.sum(1) < 0.5, END] = 1.0
    images, _ = toy(2)
    call = "beam_search(model, images (2, ...), beam_width=2, max_len=5)"
    model = ScriptedCaptioner(table / table.sum(1, keepdims=True))
    out = expect_shape(answer.beam_search(model, images, beam_width=2, max_len=5), (2, 5), call)
    expected = [5, 7, END, PAD, PAD]
    if out.tolist() != [expected] * 2:
        raise AssertionError(
            f"{call} returned {out[0].tolist()}; expected {expected} (probability 0.6 x 0.7 = 0.42), which beats "
            "6 <end> (0.40) though it ends a step later: return the best caption of the final beam"
        )


@pytest.mark.hint(6)
def test_beam_search_with_width_one_is_greedy(answer, reference):
    for seed, (n, max_len) in enumerate(DECODING_CASES):
        images = random_images(n, seed)
        expected = reference.greedy_decode(PrefixCaptioner(seed), images, max_len=max_len)
        got = answer.beam_search(PrefixCaptioner(seed), images, beam_width=1, max_len=max_len)
        expect_same_captions(f"beam_search(scripted captioner, images ({n}, 28, 28, 1), beam_width=1, max_len={max_len})",
                             got, expected, "what greedy_decode returns")


BEAM_CASES = ((2, 2, 5), (2, 6, 3), (3, 8, 5), (3, 3, 1), (4, 6, 8))  # (beam_width, images, max_len)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_beam_search_matches_the_contract_on_a_scripted_captioner(answer, reference):
    """On a stand-in captioner whose logits depend on the image and the whole prefix: the same
    int32 ids as the reference for widths 2 to 4 and max_len from 1 to 8."""
    for seed, (width, n, max_len) in enumerate(BEAM_CASES, start=10):
        images = random_images(n, seed)
        expected = reference.beam_search(PrefixCaptioner(seed), images, beam_width=width, max_len=max_len)
        got = answer.beam_search(PrefixCaptioner(seed), images, beam_width=width, max_len=max_len)
        expect_same_captions(
            f"beam_search(scripted captioner, images ({n}, 28, 28, 1), beam_width={width}, max_len={max_len})", got, expected,
            "per image, the best of the beam_width prefixes kept by their summed log-softmax over the vocabulary at "
            "the last position, finished captions kept in the beam with their own sum",
        )


def expect_tensor_calls_in_inference_mode(answer, decoder: str) -> None:
    """Run ``decoder`` of ``answer`` on a recording PrefixCaptioner: each call must be
    captioner([images, tokens], training=False) with tensors (not NumPy arrays), and the first
    one must pass <start> alone for every row."""
    model = PrefixCaptioner(3)
    getattr(answer, decoder)(model, random_images(3, 3), max_len=4)
    if not model.calls:
        raise AssertionError(f"{decoder}(captioner, images, max_len=4) never called captioner([images, tokens], training=False)")
    for number, (images, tokens, training) in enumerate(model.calls, start=1):
        what = f"call {number} of {len(model.calls)} that {decoder}(captioner, images (3, ...), max_len=4) made"
        for name, value in (("images", images), ("tokens", tokens)):
            if not tf.is_tensor(value):
                raise AssertionError(
                    f"{what} passed {name} as {type(value).__name__}; pass tensors (tf.constant) to Keras models"
                )
        if training is not False:
            raise AssertionError(f"{what} passed training={training!r}; the decoders call the captioner with training=False")
    first = np.asarray(model.calls[0][1])
    if first.shape[1:] != (1,) or not (first == START).all():
        raise AssertionError(
            f"the first captioner call of {decoder} passed tokens {first.tolist()}; expected <start> alone for every row"
        )


@pytest.mark.hint(7)
def test_greedy_decode_calls_the_captioner_with_tensors_and_training_false(answer):
    expect_tensor_calls_in_inference_mode(answer, "greedy_decode")


@pytest.mark.hint(7)
def test_beam_search_calls_the_captioner_with_tensors_and_training_false(answer):
    expect_tensor_calls_in_inference_mode(answer, "beam_search")


@once_per_answer
def training_run(answer) -> tuple[keras.Model, list[float], list[np.ndarray]]:
    """LEARNING_STEPS train_step calls with Adam(LEARNING_ADAM_RATE) on one batch of LEARNING_BATCH toy
    images and captions: the trained captioner, the loss of each call (both learning checks read
    this one run), and every variable of the captioner after WARM_STEPS calls (the update check's
    starting point)."""
    model = answer.build_captioner(VOCAB)
    images, captions = toy(LEARNING_BATCH, seed=LEARNING_SEED)
    optimizer = FusedAdam(LEARNING_ADAM_RATE)
    step = compiled(answer.train_step, ready_to_compile(optimizer, model))
    losses, warm = [], []
    for number in range(1, LEARNING_STEPS + 1):
        losses.append(expect_scalar(step(model, optimizer, images, captions), "train_step(...)"))
        if number == WARM_STEPS:
            warm = snapshot(all_variables(model))
    return model, losses, warm


@pytest.mark.training
@pytest.mark.hint(5)
def test_loss_falls_when_overfitting_one_batch(answer):
    expect_losses_fell(training_run(answer)[1], 0.5, f"one batch of {LEARNING_BATCH} (Adam({LEARNING_ADAM_RATE:g}))")


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(1)
def test_captioner_learns_the_training_captions(answer, exhibit):
    """After the training run, caption its images with greedy_decode (training=False): at least
    CAPTIONS_LEARNED of the LEARNING_BATCH must come back word for word (after the LEARNING_STEPS
    steps the reference and the sound alternatives get all 64)."""
    model, losses, _ = training_run(answer)
    images, captions = toy(LEARNING_BATCH, seed=LEARNING_SEED)
    out = np.asarray(answer.greedy_decode(model, images, max_len=toy_data.MAX_LEN - 1))
    exhibit(lambda: exhibits.pictures("greedy_decode of training images after training", images[::8], 0.0, 1.0,
                                      captions=[" ".join(toy_data.decode(ids)) for ids in out[::8]]))
    right = (out == captions.numpy()[:, 1:]).all(axis=1)
    if right.sum() < CAPTIONS_LEARNED:
        wrong = int(np.argmin(right))
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls with Adam({LEARNING_ADAM_RATE:g}) (last loss {losses[-1]:.3g}), "
            f"greedy_decode got {int(right.sum())}/{LEARNING_BATCH} training captions exactly right; expected at least "
            f"{CAPTIONS_LEARNED}. E.g. it said {toy_data.decode(out[wrong])} for {toy_data.decode(captions.numpy()[wrong, 1:])}"
        )
