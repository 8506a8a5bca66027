"""Checks for modality_alignment: normalisation, similarities, the symmetric InfoNCE loss and recall@k (by hand
and against the model answer on many inputs), the encoders' linear heads, one SGD step of train_step against
the gradient of the contract's loss, and that contrastive training aligns toy images with their captions."""

import functools
import itertools
from collections.abc import Callable

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

from mmgen import toy_data
from mmgen.checks import (
    as_array,
    compiled,
    contract_gradients,
    expect_close,
    expect_finite,
    expect_float,
    expect_one_update,
    expect_sgd_update,
    expect_shape,
    fmt,
    fresh_per_answer,
    once_per_answer,
    ready_to_compile,
    rewind,
    snapshot,
)
from mmgen.differential import Case, expect_matches_reference
from mmgen.fused_adam import FusedAdam

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 40
LEARNING_CHECKPOINT = 10  # recall@1 is measured every 10 train_step calls; the run stops at the first that passes
LEARNED_RECALL = 0.15
LEARNING_RATE = 0.05
STEP_TEMPERATURE = 0.5  # no answer's default: a step that drops the temperature it is given shows
ROW_NORMS = (0.05, 1.0, 37.0, 1e4)  # far from the epsilon of l2_normalize (gradients grow as 1 / norm), within float32


def embeddings(n: int = 8, dim: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    return tf.constant(rng.standard_normal((n, dim)), tf.float32), tf.constant(rng.standard_normal((n, dim)), tf.float32)


def loss_of(answer, images, texts, temperature: float = 1.0, call: str = "contrastive_loss(images, texts)") -> float:
    value = expect_finite(answer.contrastive_loss(images, texts, temperature), call)
    if value.size != 1:
        raise AssertionError(f"{call} returned shape {value.shape}; expected a scalar")
    return float(value.reshape(()))


def random_rows(rng: np.random.Generator, n: int, dim: int, norms=(1.0,)) -> np.ndarray:
    """``n`` random directions in ``dim`` dimensions as float32, row i of norm ``norms[i % len(norms)]``."""
    x = rng.standard_normal((n, dim))
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return (x * np.resize(np.asarray(norms, np.float64), n)[:, None]).astype(np.float32)


def reference_loss(images, texts, temperature: float) -> float:
    """Symmetric InfoNCE in float64, written out for the checks."""
    a = np.asarray(images, np.float64)
    b = np.asarray(texts, np.float64)
    a, b = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    logits = a @ b.T / temperature

    def ce(m):
        m = m - m.max(axis=1, keepdims=True)
        return -np.mean(np.diag(m) - np.log(np.exp(m).sum(axis=1)))

    return 0.5 * (ce(logits) + ce(logits.T))


@pytest.mark.hint(4)
def test_l2_normalize_gives_unit_rows(answer):
    x = tf.constant([[3.0, 4.0], [0.0, -2.0], [1e-3, 1e-3]], tf.float32)
    call = "l2_normalize([[3, 4], [0, -2], [1e-3, 1e-3]])"
    out = expect_shape(answer.l2_normalize(x), (3, 2), call)
    expect_close(out, [[0.6, 0.8], [0.0, -1.0], [0.70710678, 0.70710678]], call, "each row divided by its length")


@pytest.mark.hint(4)
def test_l2_normalize_maps_a_zero_row_to_zeros(answer):
    call = "l2_normalize([[0, 0, 0], [1, 2, 2]])"
    out = expect_shape(answer.l2_normalize(tf.constant([[0.0, 0.0, 0.0], [1.0, 2.0, 2.0]])), (2, 3), call)
    expect_close(out, [[0.0, 0.0, 0.0], [1 / 3, 2 / 3, 2 / 3]], call,
                 "a small epsilon guards the division, so a zero row stays zero instead of 0 / 0 = NaN")


@pytest.mark.hint(4)
def test_l2_normalize_matches_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(10)
    inputs = [random_rows(rng, 1, 1), random_rows(rng, 1, 5, (3.0,)), random_rows(rng, 4, 1, (0.5, 2.0)),
              random_rows(rng, 3, 2, ROW_NORMS), random_rows(rng, 7, 16, ROW_NORMS), random_rows(rng, 5, 8, (1e4,)),
              random_rows(rng, 6, 8, (0.05,))]
    expect_matches_reference(
        "l2_normalize", answer.l2_normalize, reference.l2_normalize,
        [Case(f"x={fmt(x)}", (x,), wrt=(0,)) for x in inputs],
        "each row divided by its own L2 norm, with rows of norm 0.05 to 1e4; the gradient flows through the norm too",
    )


@pytest.mark.hint(1)
def test_similarity_matrix_is_cosine_similarity(answer):
    images, texts = embeddings(4, 3)
    call = "similarity_matrix(images (4, 3), texts (4, 3))"
    out = expect_shape(answer.similarity_matrix(images, 5.0 * texts[:3]), (4, 3), call.replace("(4, 3))", "(3, 3) * 5)"))
    a, b = images.numpy(), texts.numpy()[:3]
    expected = (a / np.linalg.norm(a, axis=1, keepdims=True)) @ (b / np.linalg.norm(b, axis=1, keepdims=True)).T
    expect_close(out, expected, call, "cosines: normalise both sides, then [i, j] = image i · text j; scale must not matter", atol=1e-5)


@pytest.mark.hint(1)
def test_similarity_matrix_matches_the_contract_in_values_and_gradients(answer, reference):
    rng = np.random.default_rng(11)
    duplicated = np.repeat(random_rows(rng, 2, 4), 3, axis=0)
    pairs = [(random_rows(rng, 1, 3), random_rows(rng, 1, 3)),
             (random_rows(rng, 4, 3, ROW_NORMS), random_rows(rng, 3, 3, (5.0,))),
             (random_rows(rng, 1, 4), random_rows(rng, 6, 4, ROW_NORMS)),
             (random_rows(rng, 6, 4, ROW_NORMS), random_rows(rng, 1, 4)),
             (duplicated, 2.0 * duplicated),
             (random_rows(rng, 8, 16, ROW_NORMS), random_rows(rng, 12, 16, ROW_NORMS[::-1]))]
    expect_matches_reference(
        "similarity_matrix", answer.similarity_matrix, reference.similarity_matrix,
        [Case(f"image_embeddings={fmt(a)}, text_embeddings={fmt(b)}", (a, b), wrt=(0, 1)) for a, b in pairs],
        "entry [i, j] is the cosine of image i and text j, both sides L2-normalised inside",
    )


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_contrastive_loss_is_log_n_when_all_similarities_are_equal(answer):
    same = tf.ones((6, 4), tf.float32)
    value = loss_of(answer, same, 3.0 * same, 0.1, "contrastive_loss(all rows equal (6, 4), 3 * the same, 0.1)")
    expect_close(value, np.log(6.0), "contrastive_loss(6 identical pairs)", "every logit is equal, so each softmax is uniform over 6")


@pytest.mark.points(3)
@pytest.mark.hint(3)
def test_contrastive_loss_matches_a_hand_computed_case(answer):
    images, texts = embeddings(5, 3, seed=1)
    for temperature in (0.5, 2.0):
        call = f"contrastive_loss(images (5, 3), texts (5, 3), temperature={temperature})"
        expect_close(loss_of(answer, images, texts, temperature, call), reference_loss(images, texts, temperature), call,
                     "0.5 * (CE over rows + CE over columns) of cosine / temperature, targets on the diagonal", atol=1e-4)


@pytest.mark.hint(1)
def test_contrastive_loss_ignores_the_scale_of_the_embeddings(answer):
    images, texts = embeddings(6, 4, seed=2)
    base = loss_of(answer, images, texts, 0.5)
    scaled = loss_of(answer, 10.0 * images, 3.0 * texts, 0.5, "contrastive_loss(10 * images, 3 * texts)")
    expect_close(scaled, base, "contrastive_loss(10 * images, 3 * texts, 0.5)",
                 "the same as unscaled: similarities are cosines of L2-normalised embeddings", atol=1e-4)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_contrastive_loss_is_symmetric_in_its_inputs(answer):
    images, texts = embeddings(6, 4, seed=3)
    forward = loss_of(answer, images, texts, 0.5)
    backward = loss_of(answer, texts, images, 0.5, "contrastive_loss(texts, images)")
    expect_close(backward, forward, "contrastive_loss(texts, images, 0.5)",
                 "equal to contrastive_loss(images, texts): both directions, image->text and text->image, count", atol=1e-5)


@pytest.mark.hint(2)
def test_contrastive_loss_is_unchanged_by_permuting_both_batches(answer):
    images, texts = embeddings(7, 4, seed=4)
    order = np.random.default_rng(0).permutation(7)
    base = loss_of(answer, images, texts, 0.5)
    shuffled = loss_of(answer, tf.gather(images, order), tf.gather(texts, order), 0.5, "contrastive_loss(images[p], texts[p])")
    expect_close(shuffled, base, "contrastive_loss(images[p], texts[p], 0.5)",
                 "the pairs are the same, only their order changed: the target of row i is column i", atol=1e-5)


@pytest.mark.points(2)
@pytest.mark.hint(2)
def test_contrastive_loss_rises_when_only_one_side_is_permuted(answer):
    images, _ = embeddings(8, 6, seed=5)
    texts = images + 0.1 * tf.constant(np.random.default_rng(6).standard_normal((8, 6)), tf.float32)
    aligned = loss_of(answer, images, texts, 0.1, "contrastive_loss(images, matching texts)")
    order = np.roll(np.arange(8), 1)
    broken = loss_of(answer, images, tf.gather(texts, order), 0.1, "contrastive_loss(images, texts rolled by one)")
    if not broken > aligned + 1.0:
        raise AssertionError(
            f"contrastive_loss(images, texts) was {aligned:.4f} for matching pairs and {broken:.4f} once the texts were "
            "rolled by one place; expected a much higher loss for mismatched pairs (targets on the diagonal)"
        )


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_temperature_divides_the_similarities(answer):
    images, _ = embeddings(6, 6, seed=8)
    cold = loss_of(answer, images, images, 0.05, "contrastive_loss(x, x, temperature=0.05)")
    warm = loss_of(answer, images, images, 1.0, "contrastive_loss(x, x, temperature=1.0)")
    expected = reference_loss(images, images, 0.05)
    if not cold < warm:
        raise AssertionError(
            f"contrastive_loss(x, x) for perfectly matched pairs was {cold:.4f} at temperature 0.05 and {warm:.4f} at 1.0; "
            "a low temperature should sharpen the softmax and lower the loss (divide the similarities by it)"
        )
    expect_close(cold, expected, "contrastive_loss(x, x, temperature=0.05)", "cosine / 0.05", atol=1e-4)


def contrastive_cases(seed: int) -> list[Case]:
    """Batches of 1 to 16 pairs, rows of norm 0.05 to 1e4, temperatures 0.02 to 2, with unrelated texts and,
    where the temperature is below 1 (so that their diagonal dominates) and there are several pairs (one pair
    has loss 0 whatever its texts), with matching texts too; then identical rows (every logit equal) and, for
    the value only, a zero image row."""
    rng = np.random.default_rng(seed)
    cases = []
    for n, dim, temperature in ((1, 3, 0.1), (2, 4, 1.0), (5, 3, 0.5), (8, 8, 0.02), (8, 8, 2.0), (16, 32, 0.07)):
        images = random_rows(rng, n, dim, ROW_NORMS)
        texts = [random_rows(rng, n, dim, ROW_NORMS[::-1])]
        if n > 1 and temperature < 1.0:
            texts.append((images / np.linalg.norm(images, axis=1, keepdims=True) + 0.5 * random_rows(rng, n, dim)) * 3.0)
        for text in texts:
            cases.append(Case(f"image_embeddings={fmt(images)}, text_embeddings={fmt(text)}, temperature={temperature}",
                              (images, text.astype(np.float32)), {"temperature": temperature}, wrt=(0, 1)))
    same = np.ones((6, 4), np.float32)
    cases.append(Case("6 identical rows on both sides, temperature=0.1", (same, 3.0 * same), {"temperature": 0.1}, wrt=(0, 1)))
    with_zero_row = random_rows(rng, 4, 5)
    with_zero_row[2] = 0.0
    cases.append(Case(f"image_embeddings={fmt(with_zero_row)} (a zero row), text_embeddings=random (4, 5), temperature=0.5",
                      (tf.constant(with_zero_row), tf.constant(random_rows(rng, 4, 5))), {"temperature": 0.5}))
    return cases


@pytest.mark.points(2)
@pytest.mark.hint(3)
def test_contrastive_loss_matches_the_contract_in_values_and_gradients(answer, reference):
    expect_matches_reference(
        "contrastive_loss", answer.contrastive_loss, reference.contrastive_loss, contrastive_cases(12),
        "0.5 * (CE over rows + CE over columns) of cosine / temperature, targets on the diagonal, each CE a mean over "
        "the batch; both terms pass gradients to both embeddings",
    )


@pytest.mark.hint(3)
def test_recall_at_k_is_one_for_the_identity(answer):
    for k in (1, 3):
        value = answer.recall_at_k(np.eye(6, dtype=np.float32), k)
        expect_close(value, 1.0, f"recall_at_k(eye(6), {k})", "every row's largest entry is its own column")


@pytest.mark.hint(3)
def test_recall_at_k_matches_a_hand_made_case(answer):
    similarity = np.array([
        [0.9, 0.1, 0.0, 0.2],   # own column ranks 1st
        [0.8, 0.5, 0.1, 0.0],   # 2nd
        [0.7, 0.6, 0.2, 0.3],   # 4th
        [0.1, 0.2, 0.9, 0.4],   # 2nd
    ], np.float32)
    for k, expected in ((1, 0.25), (2, 0.75), (3, 0.75), (4, 1.0)):
        expect_close(answer.recall_at_k(tf.constant(similarity), k), expected, f"recall_at_k(hand-made 4x4, {k})",
                     "own-column ranks are 1, 2, 4, 2")


@pytest.mark.hint(3)
def test_recall_at_k_does_not_fall_as_k_grows_and_is_one_at_n(answer):
    similarity = np.random.default_rng(9).standard_normal((10, 10)).astype(np.float32)
    values = [float(as_array(answer.recall_at_k(similarity, k), f"recall_at_k(random 10x10, {k})")) for k in range(1, 11)]
    if any(later < earlier for earlier, later in itertools.pairwise(values)) or abs(values[-1] - 1.0) > 1e-6:
        raise AssertionError(
            f"recall_at_k(random 10x10, k) for k = 1..10 gave {np.round(values, 3)}; expected a non-decreasing sequence "
            "ending at 1.0 (with k = n every column is retrieved)"
        )


@pytest.mark.hint(3)
def test_recall_at_k_matches_the_contract_on_scores_without_ties(answer, reference):
    """Random scores (no ties: how ties are broken is left free), numpy and tensors, every kind of k."""
    rng = np.random.default_rng(13)
    cases = []
    for n, scale in ((1, 1.0), (2, 1.0), (5, 1.0), (10, 1e6), (33, 1e-3)):
        scores = rng.standard_normal((n, n))
        scores[np.arange(n), np.arange(n)] += rng.uniform(0.0, 2.0, n)  # some rows find their own column
        scores = (scale * scores - (scale if n == 10 else 0.0)).astype(np.float32)
        for k in sorted({1, 2, n // 2, n - 1, n} & set(range(1, n + 1))):
            cases.append(Case(f"similarity={fmt(scores)}, k={k}", (scores if k % 2 else tf.constant(scores), k)))
    expect_matches_reference(
        "recall_at_k", answer.recall_at_k, reference.recall_at_k, cases,
        "the fraction of rows i whose own column i is among the k largest entries of row i",
    )


FRESH_ENCODER_CALLS = ("build_image_encoder(24)(images)", "build_text_encoder(vocab_size, 24)(captions)")


@functools.cache
def toy_pairs(n: int, seed: int) -> tuple[tf.Tensor, tf.Tensor]:
    """``n`` toy (images, captions) as tensors (made once: rendering costs)."""
    data = toy_data.make_batch(n, seed)
    return tf.constant(data.images), tf.constant(data.captions)


@fresh_per_answer
def fresh_encoders(answer) -> tuple[keras.Model, keras.Model]:
    """build_image_encoder(24) and build_text_encoder(VOCAB, 24), built once per answer; each check that uses
    them gets them back as built, whatever ran before."""
    image_encoder, text_encoder = answer.build_image_encoder(24), answer.build_text_encoder(VOCAB, 24)
    for encoder, inputs in zip((image_encoder, text_encoder), toy_pairs(8, 0)):
        if not encoder.built:  # a subclassed model makes its variables on its first call; rewind must see them all
            encoder(inputs)
    return image_encoder, text_encoder


@once_per_answer
def fresh_encoder_outputs(answer) -> tuple[np.ndarray, np.ndarray]:
    """What freshly built build_image_encoder(24) and build_text_encoder(VOCAB, 24) return for 8 toy pairs."""
    image_encoder, text_encoder = fresh_encoders(answer)
    images, captions = toy_pairs(8, 0)
    image_out = expect_shape(image_encoder(images), (8, 24), "build_image_encoder(24)(images (8, 28, 28, 1))")
    text_out = expect_shape(text_encoder(captions), (8, 24), "build_text_encoder(vocab_size, 24)(captions (8, 6))")
    return image_out, text_out


@pytest.mark.hint(5)
def test_encoders_map_into_the_same_space(answer):
    image_out, text_out = fresh_encoder_outputs(answer)
    for out, call in ((image_out, "image_encoder(images)"), (text_out, "text_encoder(captions)")):
        expect_float(out, call)
        expect_finite(out, call)


@pytest.mark.hint(5)
def test_encoders_end_in_a_linear_projection_head(answer):
    """A linear last layer on random weights gives coordinates of both signs; a ReLU, sigmoid or softplus head cannot."""
    for out, call in zip(fresh_encoder_outputs(answer), FRESH_ENCODER_CALLS):
        if not out.min() < 0.0 < out.max():
            raise AssertionError(
                f"{call} on 8 toy examples returned values in [{out.min():.4g}, {out.max():.4g}], all of one sign; "
                "expected a linear projection head (no activation on the last layer), whose outputs take both signs"
            )


@pytest.mark.hint(5)
def test_encoders_do_not_normalise_their_outputs(answer):
    for out, call in zip(fresh_encoder_outputs(answer), FRESH_ENCODER_CALLS):
        norms = np.linalg.norm(np.asarray(out, np.float64), axis=1)
        if np.allclose(norms, 1.0, atol=1e-3):
            raise AssertionError(
                f"{call} on 8 toy examples returned rows of norms {fmt(norms)}, all 1; expected the raw output of the "
                "projection head (no normalisation inside the model: l2_normalize does it in the loss)"
            )


@pytest.mark.hint(5)
def test_text_encoder_accepts_every_id_below_vocab_size(answer):
    vocab_size = VOCAB + 27
    captions = np.random.default_rng(14).integers(0, vocab_size, (4, 6)).astype(np.int32)
    captions[0, 1], captions[1, :] = vocab_size - 1, 0  # the largest id, and a row of padding only
    call = f"build_text_encoder({vocab_size}, 24)(captions with ids 0..{vocab_size - 1})"
    try:
        out = answer.build_text_encoder(vocab_size, 24)(tf.constant(captions))
    except NotImplementedError:
        raise
    except Exception as exc:  # noqa: BLE001 - an embedding sized to the toy vocabulary rejects the larger ids
        raise AssertionError(f"{call} raised {type(exc).__name__}: {str(exc)[:200]}; expected it to accept every id "
                             "below vocab_size (size the token embedding from vocab_size)") from None
    expect_finite(expect_shape(out, (4, 24), call), call)


def dropout_encoders() -> tuple[keras.Model, keras.Model]:
    """Small encoders of the checks' own, each with Dropout(0.5), so that calling them with training=False
    (no dropout) gives another loss than the contract's training=True forward pass."""
    def head() -> layers.Dense:
        """A linear head with a random bias, so that no output row is zero (where l2_normalize's gradient is free)."""
        return layers.Dense(8, bias_initializer=keras.initializers.RandomNormal(stddev=1.0, seed=0))

    image_encoder = keras.Sequential([keras.Input((28, 28, 1)), layers.Flatten(), layers.Dense(32, activation="relu"),
                                      layers.Dropout(0.5), head()], name="check_image_encoder")
    text_encoder = keras.Sequential([keras.Input((6,), dtype="int32"), layers.Embedding(VOCAB, 4), layers.Flatten(),
                                     layers.Dropout(0.5), head()], name="check_text_encoder")
    return image_encoder, text_encoder


def expect_one_sgd_step_of_the_contrastive_loss(answer, reference, image_encoder, text_encoder, back: Callable[[], None],
                                                what: str) -> None:
    """One ``train_step`` with SGD on 16 toy pairs at STEP_TEMPERATURE, from the built encoders as they are now,
    must return the contract's loss, reference.contrastive_loss(image_encoder(images, training=True),
    text_encoder(captions, training=True), T), from before the update, move every trainable variable of both
    encoders by -LEARNING_RATE times its gradient, and take exactly one optimizer step. ``back()`` puts the
    encoders back as they are now, so that Dropout and BatchNorm replay the contract's forward pass."""
    images, captions = toy_pairs(16, 1)
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    before = snapshot(variables)
    expected, gradients = contract_gradients(
        lambda: reference.contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True),
                                           STEP_TEMPERATURE),
        variables,
    )
    back()
    optimizer = keras.optimizers.SGD(LEARNING_RATE)
    call = f"train_step({what}, SGD({LEARNING_RATE}), images (16, 28, 28, 1), captions (16, 6), temperature={STEP_TEMPERATURE})"
    loss = answer.train_step(image_encoder, text_encoder, optimizer, images, captions, STEP_TEMPERATURE)
    expect_close(loss, expected, call,
                 f"contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True), "
                 f"{STEP_TEMPERATURE}), before the update", atol=1e-4, rtol=1e-4)
    expect_sgd_update(variables, before, gradients, LEARNING_RATE, call, f"the contrastive loss at temperature {STEP_TEMPERATURE}")
    expect_one_update(optimizer, call)


@pytest.mark.points(2)
@pytest.mark.hint(6)
def test_train_step_applies_one_sgd_update_of_the_contrastive_loss(answer, reference):
    """On the answer's own encoders, rewound (and reseeded: their Dropout may draw from TensorFlow's global seed)."""
    image_encoder, text_encoder = fresh_encoders(answer)
    expect_one_sgd_step_of_the_contrastive_loss(answer, reference, image_encoder, text_encoder,
                                                rewind(image_encoder, text_encoder), "your encoders")


@pytest.mark.hint(6)
def test_train_step_calls_the_encoders_with_training_true(answer, reference):
    """The checks' own encoders with Dropout: a step that calls them in inference mode takes another loss."""
    image_encoder, text_encoder = dropout_encoders()
    expect_one_sgd_step_of_the_contrastive_loss(answer, reference, image_encoder, text_encoder,
                                                rewind(image_encoder, text_encoder, reseed=False), "encoders with Dropout(0.5)")


def recall_at_one(image_encoder, text_encoder, images, captions) -> float:
    """Image->caption recall@1 of the encoders, called in inference mode, where row i of ``images`` matches
    row i of ``captions``."""
    a = as_array(image_encoder(images), "image_encoder(images)")
    b = as_array(text_encoder(captions), "text_encoder(captions)")
    a, b = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    return float(np.mean(np.argmax(a @ b.T, axis=1) == np.arange(len(a))))


@pytest.mark.training
@pytest.mark.points(3)
@pytest.mark.hint(2)
def test_training_aligns_images_with_their_captions(answer):
    """The docstring's learning check: up to 40 steps of Adam(3e-3) on 64 jittered toy pairs at temperature 0.1;
    every 10 steps, retrieve among the 64 distinct scenes (clean images vs captions, encoders in inference mode).
    It passes at the first of those measurements whose recall@1 reaches 0.15 (chance is 1/64)."""
    image_encoder, text_encoder = answer.build_image_encoder(), answer.build_text_encoder(VOCAB)
    optimizer = FusedAdam(3e-3)
    step = compiled(answer.train_step, ready_to_compile(optimizer, image_encoder, text_encoder))
    data = toy_data.make_batch(1024, seed=2)
    scenes = toy_data.all_scenes()
    eval_images = tf.constant(np.stack([toy_data.render(s) for s in scenes]))
    eval_captions = tf.constant(np.stack([toy_data.encode(s.words) for s in scenes]))
    rng = np.random.default_rng(0)
    recalls: list[float] = []
    for _ in range(LEARNING_STEPS // LEARNING_CHECKPOINT):
        for _ in range(LEARNING_CHECKPOINT):
            idx = rng.choice(len(data.images), 64, replace=False)
            step(image_encoder, text_encoder, optimizer, tf.constant(data.images[idx]), tf.constant(data.captions[idx]), 0.1)
        recalls.append(recall_at_one(image_encoder, text_encoder, eval_images, eval_captions))
        if recalls[-1] >= LEARNED_RECALL:
            return
    raise AssertionError(
        f"measured after every {LEARNING_CHECKPOINT} of {LEARNING_STEPS} train_step calls, image->caption recall@1 over the "
        f"64 toy scenes was {', '.join(f'{recall:.3f}' for recall in recalls)}; expected at least {LEARNED_RECALL} (chance "
        "is 0.016). The checks of contrastive_loss and of one train_step tell whether the loss and the update are right; "
        "if they pass, the encoders learn too slowly for this budget"
    )
