"""Checks for transformer_captioner: patch tokens and the causal mask against the contract, the decoder
block and the captioner by perturbation (causality, dependence on the image), the training step against
the gradient of the teacher-forced masked loss, greedy decoding against the reference on stand-in
captioners, and a learning check on the 64 toy scenes."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from mmgen import exhibits, toy_data
from mmgen.captioners import PrefixCaptioner, expect_same_captions, random_images, scripted
from mmgen.checks import (as_array, compiled, contract_gradients, expect_close, expect_one_update, expect_scalar,
                          expect_sgd_update, expect_shape, fmt, fresh_per_answer, once_per_answer, ready_to_compile, rewind,
                          snapshot)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

VOCAB = toy_data.VOCAB_SIZE
PAD, START, END = toy_data.PAD, toy_data.START, toy_data.END
LEARNING_STEPS = 70
SCENES = toy_data.all_scenes()


def scene_batch() -> tuple[tf.Tensor, tf.Tensor]:
    """The 64 clean toy scenes and their captions."""
    return (tf.constant(np.stack([toy_data.render(s) for s in SCENES])),
            tf.constant(np.stack([toy_data.encode(s.words) for s in SCENES])))


def expect_causal(output_of, tokens: np.ndarray, call: str) -> np.ndarray:
    """Changing the token at position j may change outputs at positions >= j only, and must change position j.

    The unchanged batch and its len(positions) changed copies go through ``output_of`` as one stacked batch
    (rows do not interact), which costs one call instead of one per position. Returns the unchanged batch's output."""
    n, length = tokens.shape[:2]
    variants = [tokens]
    for j in range(length):
        changed = tokens.copy()
        changed[:, j] = (changed[:, j] + 5) % VOCAB if changed.ndim == 2 else changed[:, j] + 1.0
        variants.append(changed)
    outputs = output_of(np.concatenate(variants))
    base = outputs[:n]
    if outputs.shape[0] != len(variants) * n:
        raise AssertionError(f"{call} returned {outputs.shape[0]} rows for a batch of {len(variants) * n}; expected one per row")
    for j in range(length):
        after = outputs[(j + 1) * n:(j + 2) * n]
        if not np.allclose(after[:, :j], base[:, :j], atol=1e-5):
            raise AssertionError(f"changing position {j} of the input changed {call}'s output at earlier positions; "
                                 "position i may only see positions 0..i (a causal mask on the self-attention)")
        if np.allclose(after[:, j], base[:, j], atol=1e-6):
            raise AssertionError(f"changing position {j} of the input left {call}'s output at position {j} unchanged; "
                                 "each position must see its own token")
    return base


@fresh_per_answer
def captioner_of(answer) -> keras.Model:
    """build_captioner(VOCAB), built once per answer from the checks' seed; each check that uses it starts
    from its initial weights, whatever ran before."""
    captioner = answer.build_captioner(VOCAB)
    images, captions = scene_batch()
    if not captioner.built:  # a subclassed model makes its variables on its first call; rewind must see them all
        captioner([images[:1], captions[:1, :1]], training=False)
    return captioner


# Patch tokens and the causal mask

@pytest.mark.points(2)
@pytest.mark.hint(1)
def test_patch_tokens_lists_squares_row_by_row(answer):
    images = np.arange(2 * 28 * 28, dtype=np.float32).reshape(2, 28, 28, 1)
    got = expect_shape(answer.patch_tokens(tf.constant(images), 4), (2, 49, 16), "patch_tokens(images (2, 28, 28, 1), patch=4)")
    expected = images[1, 4:8, 8:12, 0].reshape(-1)  # grid row 1, column 2: token 1 * 7 + 2
    expect_close(got[1, 9], expected, "patch_tokens(images, 4)[1, 9]",
                 "token r * 7 + c is the square in grid row r and column c, its pixels row by row")


@pytest.mark.hint(1)
def test_patch_tokens_match_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(0)
    cases = [Case(f"images of shape {(n, 28, 28, 1)}, patch={patch}", (rng.uniform(size=(n, 28, 28, 1)).astype(np.float32), patch), wrt=(0,))
             for n, patch in ((1, 28), (2, 4), (3, 7), (2, 2))]
    expect_matches_reference("patch_tokens", answer.patch_tokens, reference.patch_tokens, cases,
                             "non-overlapping squares, grid row by grid row, pixels row by row")


@pytest.mark.hint(2)
def test_causal_mask_lets_each_position_see_itself_and_the_past(answer):
    for length in (1, 2, 6):
        got = np.asarray(answer.causal_mask(length))
        expected = np.arange(length)[None, :] <= np.arange(length)[:, None]
        if got.shape != expected.shape or got.dtype != bool or not np.array_equal(got, expected):
            raise AssertionError(f"causal_mask({length}) returned {got.astype(int).tolist()} ({got.dtype}); expected the bool "
                                 f"lower triangle {expected.astype(int).tolist()} (True where key j <= query i)")


# The decoder block and the captioner

@once_per_answer
def decoder_block(answer) -> layers.Layer:
    """DecoderBlock(16, 2, 32), made once per answer from the checks' seed (the block checks only call it, with
    training=None, so it stays as made; it builds on its first call, whatever shapes that call has)."""
    return answer.DecoderBlock(16, 2, 32)


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_decoder_block_is_causal_in_its_input(answer):
    block = decoder_block(answer)
    image_tokens = tf.constant(np.random.default_rng(1).normal(size=(2, 5, 16)).astype(np.float32))
    x = np.random.default_rng(2).normal(size=(2, 6, 16)).astype(np.float32)
    expect_shape(block(tf.constant(x), image_tokens), (2, 6, 16), "DecoderBlock(16, 2, 32)(x (2, 6, 16), image_tokens (2, 5, 16))")

    def output(values: np.ndarray) -> np.ndarray:
        """The block's output for stacked copies of x, each copy with the same image tokens."""
        return as_array(block(tf.constant(values), tf.tile(image_tokens, (len(values) // 2, 1, 1))), "block(x, image_tokens)")

    expect_causal(output, x, "DecoderBlock(16, 2, 32)")


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_decoder_block_attends_to_the_image_tokens(answer):
    block = decoder_block(answer)
    rng = np.random.default_rng(3)
    x = tf.constant(rng.normal(size=(2, 4, 16)).astype(np.float32))
    for n in (1, 9):
        image_tokens = rng.normal(size=(2, n, 16)).astype(np.float32)
        # x twice, first with the image tokens and then with changed ones, in one call (rows do not interact)
        call = f"DecoderBlock(16, 2, 32)(x (4, 4, 16), image_tokens (4, {n}, 16))"
        changed_tokens = image_tokens + rng.normal(size=image_tokens.shape).astype(np.float32)
        both = expect_shape(block(tf.concat([x, x], 0), tf.constant(np.concatenate([image_tokens, changed_tokens]))), (4, 4, 16), call)
        base, changed = both[:2], both[2:]
        if np.any(np.all(np.isclose(changed, base, atol=1e-6), axis=-1)):
            raise AssertionError(f"changing the image tokens left some positions of {call} unchanged; "
                                 "every position must cross-attend to the image")


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_captioner_returns_logits_for_every_position(answer):
    captioner = captioner_of(answer)
    images, captions = scene_batch()
    for length in (1, 3, toy_data.MAX_LEN):
        call = f"build_captioner({VOCAB})([images (4, 28, 28, 1), tokens (4, {length})])"
        got = expect_shape(captioner([images[:4], captions[:4, :length]]), (4, length, VOCAB), call)
        if got.dtype != np.float32:
            raise AssertionError(f"{call} returned dtype {got.dtype}; expected float32 logits")
        if got.min() >= 0 and np.allclose(got.sum(-1), 1.0, atol=1e-3):
            raise AssertionError(f"{call} returned rows of probabilities (non-negative, summing to 1); expected raw logits, no softmax")


@pytest.mark.points(2)
@pytest.mark.hint(4)
def test_captioner_is_causal_and_sees_the_image(answer):
    captioner = captioner_of(answer)
    images, captions = scene_batch()

    def output(tokens: np.ndarray, pictures=images[:3]) -> np.ndarray:
        """The logits for ``tokens``, row r with picture r % len(pictures) (stacked copies share the pictures)."""
        pictures = tf.tile(pictures, (len(tokens) // len(pictures), 1, 1, 1))
        return as_array(captioner([pictures, tf.constant(tokens)], training=False), "captioner")

    full = expect_causal(output, np.asarray(captions[:3]), f"build_captioner({VOCAB})")
    # after <start>: the first three scenes, then three others (scenes 40-42), in one call
    after_start = output(np.tile(np.asarray(captions[:3, :1]), (2, 1)), tf.concat([images[:3], images[40:43]], 0))
    for length, got in ((1, after_start[:3]), (3, output(np.asarray(captions[:3, :3])))):
        expect_close(got, full[:, :length], f"captioner([images, the first {length} tokens])",
                     "the logits at a position do not depend on how many tokens follow it (position i is index i)", atol=1e-4)
    if np.allclose(after_start[:3], after_start[3:], atol=1e-6):
        raise AssertionError("the captioner's logits after <start> did not change with the image; the decoder must "
                             "cross-attend to the image tokens")


# Training

def dropout_captioner() -> keras.Model:
    """The checks' own small captioner, with Dropout: image features added to every token's embedding."""
    images, tokens = keras.Input((28, 28, 1)), keras.Input((None,), dtype="int32")
    picture = layers.Dense(16)(layers.Flatten()(layers.AveragePooling2D(4)(images)))
    words = layers.Embedding(VOCAB, 16)(tokens)
    hidden = layers.Dropout(0.3, seed=3)(layers.Dense(16, activation="tanh")(words + picture[:, None, :]))
    return keras.Model([images, tokens], layers.Dense(VOCAB)(hidden))


def teacher_forced_loss(captioner, images, captions) -> tf.Tensor:
    """The contract's loss: cross-entropy of captions[:, 1:] from captioner([images, captions[:, :-1]]), mean over non-PAD."""
    targets = captions[:, 1:]
    losses = tf.keras.losses.sparse_categorical_crossentropy(targets, captioner([images, captions[:, :-1]], training=True), from_logits=True)
    mask = tf.cast(targets != PAD, tf.float32)
    return tf.reduce_sum(losses * mask) / tf.reduce_sum(mask)


@pytest.mark.points(3)
@pytest.mark.hint(5)
def test_train_step_applies_one_sgd_update_of_the_teacher_forced_masked_loss(answer):
    captioner, (images, captions) = dropout_captioner(), scene_batch()
    images, captions = images[::8], captions[::8]
    back = rewind(captioner)
    value, gradients = contract_gradients(lambda: teacher_forced_loss(captioner, images, captions), captioner.trainable_variables)
    back()
    before, optimizer = snapshot(captioner.trainable_variables), keras.optimizers.SGD(0.5)
    call = "train_step(a captioner with Dropout, SGD(0.5), 8 toy images, their captions)"
    loss = expect_scalar(answer.train_step(captioner, optimizer, images, captions), call)
    expect_close(loss, value, f"{call} (its returned loss)", "inputs captions[:, :-1], targets captions[:, 1:], "
                 "cross-entropy averaged over non-PAD targets, from before the update", atol=1e-5, rtol=1e-4)
    expect_one_update(optimizer, call)
    expect_sgd_update(captioner.trainable_variables, before, gradients, 0.5, call, "the teacher-forced masked loss")


# Decoding and accuracy

@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_greedy_decode_stops_at_end_and_pads_after_it(answer):
    images = random_images(3, 0)
    got = answer.greedy_decode(scripted({START: 5, 5: 7, 7: END, END: 9, 9: 9, PAD: 9}), images, max_len=5)
    expect_same_captions("greedy_decode(a captioner that says <start> 5 7 <end> 9 9 ..., 3 images, max_len=5)", got,
                         np.tile([5, 7, END, PAD, PAD], (3, 1)).astype(np.int32), "keep the first <end>, PAD after it")
    got = answer.greedy_decode(scripted({START: 5, 5: 6, 6: 5}), images, max_len=3)
    expect_same_captions("greedy_decode(a captioner that never says <end>, 3 images, max_len=3)", got,
                         np.tile([5, 6, 5], (3, 1)).astype(np.int32), "max_len tokens when no <end> comes")


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_greedy_decode_matches_the_contract_on_a_prefix_dependent_captioner(answer, reference):
    for seed, (n, max_len) in enumerate(((1, 1), (4, 5), (5, 8))):
        images = random_images(n, seed)
        expected = reference.greedy_decode(PrefixCaptioner(seed), images, max_len=max_len)
        model = PrefixCaptioner(seed)
        got = answer.greedy_decode(model, images, max_len=max_len)
        expect_same_captions(f"greedy_decode(stand-in captioner, images ({n}, 28, 28, 1), max_len={max_len})", got, expected,
                             "each row: the argmax at the last position of its own prefix, fed back until its first <end>")
        if any(training for _, _, training in model.calls):
            raise AssertionError("greedy_decode called the captioner with training=True; decode in inference mode")


@pytest.mark.hint(7)
def test_token_accuracy_counts_only_non_pad_targets(answer, reference):
    targets = np.array([[3, 5, END, PAD, PAD], [4, 6, 9, END, PAD]])
    logits = np.full((2, 5, VOCAB), -1.0)
    for row, said in enumerate(([3, 7, END, 0, 0], [4, 6, 9, 8, 5])):
        logits[row, np.arange(5), said] = 1.0
    call = f"token_accuracy(targets={targets.tolist()}, logits saying [[3, 7, <end>, 0, 0], [4, 6, 9, 8, 5]])"
    expect_close(answer.token_accuracy(targets, logits), 5 / 7, call, "5 of the 7 non-PAD targets are right; PAD positions do not count")
    rng = np.random.default_rng(4)
    cases = [Case(f"targets of shape {(n, t)}, logits {(n, t, VOCAB)}",
                  (np.where(rng.random((n, t)) < 0.3, PAD, rng.integers(3, VOCAB, (n, t))), rng.normal(size=(n, t, VOCAB))))
             for n, t in ((1, 3), (8, 5), (64, 5))]
    for case in cases:
        case.args[0][:, 0] = 3  # at least one real target per row
    expect_matches_reference("token_accuracy", answer.token_accuracy, reference.token_accuracy, cases,
                             "argmax along the vocabulary, right where the target is not PAD, over the non-PAD count", atol=1e-12)


# Learning

@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(8)
def test_captioner_learns_the_toy_captions(answer, reference, exhibit):
    """The docstring's learning check: 70 Adam(3e-3) steps on the 64 scenes as one batch, then teacher-forced
    token accuracy of at least 0.9 (the model answer: 0.95-0.98; sound alternatives 0.97-0.99)."""
    captioner, optimizer = captioner_of(answer), FusedAdam(3e-3)  # a fresh build_captioner(VOCAB)
    images, captions = scene_batch()
    step = compiled(answer.train_step, ready_to_compile(optimizer, captioner))
    for _ in range(LEARNING_STEPS):
        step(captioner, optimizer, images, captions)
    logits = captioner([images, captions[:, :-1]], training=False)
    accuracy = reference.token_accuracy(captions[:, 1:], logits)
    exhibit(lambda: exhibits.pictures("the teacher-forced guesses (argmax of the logits) after training", images[::9], 0.0, 1.0,
                                      captions=[" ".join(toy_data.decode(ids)) for ids in np.argmax(np.asarray(logits)[::9], -1)]))
    if accuracy < 0.9:
        raise AssertionError(f"after {LEARNING_STEPS} train_step calls the teacher-forced token accuracy on the 64 toy "
                             f"captions was {accuracy:.3f}; expected at least 0.9. If the training-step check passes, the "
                             f"model learns too slowly: {fmt(np.argmax(np.asarray(logits)[:2], -1))} were its first two guesses")
