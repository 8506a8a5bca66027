"""Checks for modality_alignment: normalisation, the symmetric InfoNCE loss and its invariances,
recall@k, and that contrastive training aligns toy images with their captions."""

import itertools

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
    expect_float,
    expect_shape,
    ready_to_compile,
    snapshot,
)

VOCAB = toy_data.VOCAB_SIZE
LEARNING_STEPS = 40


def embeddings(n: int = 8, dim: int = 5, seed: int = 0):
    rng = np.random.default_rng(seed)
    return tf.constant(rng.standard_normal((n, dim)), tf.float32), tf.constant(rng.standard_normal((n, dim)), tf.float32)


def loss_of(answer, images, texts, temperature: float = 1.0, call: str = "contrastive_loss(images, texts)") -> float:
    value = expect_finite(answer.contrastive_loss(images, texts, temperature), call)
    if value.size != 1:
        raise AssertionError(f"{call} returned shape {value.shape}; expected a scalar")
    return float(value.reshape(()))


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


def test_l2_normalize_gives_unit_rows(answer):
    x = tf.constant([[3.0, 4.0], [0.0, -2.0], [1e-3, 1e-3]], tf.float32)
    call = "l2_normalize([[3, 4], [0, -2], [1e-3, 1e-3]])"
    out = expect_shape(answer.l2_normalize(x), (3, 2), call)
    expect_close(out, [[0.6, 0.8], [0.0, -1.0], [0.70710678, 0.70710678]], call, "each row divided by its length")


def test_similarity_matrix_is_cosine_similarity(answer):
    images, texts = embeddings(4, 3)
    call = "similarity_matrix(images (4, 3), texts (4, 3))"
    out = expect_shape(answer.similarity_matrix(images, 5.0 * texts[:3]), (4, 3), call.replace("(4, 3))", "(3, 3) * 5)"))
    a, b = images.numpy(), texts.numpy()[:3]
    expected = (a / np.linalg.norm(a, axis=1, keepdims=True)) @ (b / np.linalg.norm(b, axis=1, keepdims=True)).T
    expect_close(out, expected, call, "cosines: normalise both sides, then [i, j] = image i · text j; scale must not matter", atol=1e-5)


@pytest.mark.points(2)
def test_contrastive_loss_is_log_n_when_all_similarities_are_equal(answer):
    same = tf.ones((6, 4), tf.float32)
    value = loss_of(answer, same, 3.0 * same, 0.1, "contrastive_loss(all rows equal (6, 4), 3 * the same, 0.1)")
    expect_close(value, np.log(6.0), "contrastive_loss(6 identical pairs)", "every logit is equal, so each softmax is uniform over 6")


@pytest.mark.points(3)
def test_contrastive_loss_matches_a_hand_computed_case(answer):
    images, texts = embeddings(5, 3, seed=1)
    for temperature in (0.5, 2.0):
        call = f"contrastive_loss(images (5, 3), texts (5, 3), temperature={temperature})"
        expect_close(loss_of(answer, images, texts, temperature, call), reference_loss(images, texts, temperature), call,
                     "0.5 * (CE over rows + CE over columns) of cosine / temperature, targets on the diagonal", atol=1e-4)


def test_contrastive_loss_ignores_the_scale_of_the_embeddings(answer):
    images, texts = embeddings(6, 4, seed=2)
    base = loss_of(answer, images, texts, 0.5)
    scaled = loss_of(answer, 10.0 * images, 3.0 * texts, 0.5, "contrastive_loss(10 * images, 3 * texts)")
    expect_close(scaled, base, "contrastive_loss(10 * images, 3 * texts, 0.5)",
                 "the same as unscaled: similarities are cosines of L2-normalised embeddings", atol=1e-4)


@pytest.mark.points(2)
def test_contrastive_loss_is_symmetric_in_its_inputs(answer):
    images, texts = embeddings(6, 4, seed=3)
    forward = loss_of(answer, images, texts, 0.5)
    backward = loss_of(answer, texts, images, 0.5, "contrastive_loss(texts, images)")
    expect_close(backward, forward, "contrastive_loss(texts, images, 0.5)",
                 "equal to contrastive_loss(images, texts): both directions, image->text and text->image, count", atol=1e-5)


def test_contrastive_loss_is_unchanged_by_permuting_both_batches(answer):
    images, texts = embeddings(7, 4, seed=4)
    order = np.random.default_rng(0).permutation(7)
    base = loss_of(answer, images, texts, 0.5)
    shuffled = loss_of(answer, tf.gather(images, order), tf.gather(texts, order), 0.5, "contrastive_loss(images[p], texts[p])")
    expect_close(shuffled, base, "contrastive_loss(images[p], texts[p], 0.5)",
                 "the pairs are the same, only their order changed: the target of row i is column i", atol=1e-5)


@pytest.mark.points(2)
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


def test_contrastive_loss_decreases_as_pairs_align(answer):
    rng = np.random.default_rng(7)
    images, noise = rng.standard_normal((8, 6)), rng.standard_normal((8, 6))
    values = []
    for weight in (0.0, 0.3, 0.6, 0.9, 1.0):
        texts = weight * images + (1.0 - weight) * noise
        values.append(loss_of(answer, tf.constant(images, tf.float32), tf.constant(texts, tf.float32), 0.2,
                              f"contrastive_loss(images, {weight} * images + {1 - weight:.1f} * noise)"))
    if not all(later < earlier for earlier, later in itertools.pairwise(values)):
        raise AssertionError(
            f"contrastive_loss(images, w * images + (1 - w) * noise) for w = 0, 0.3, 0.6, 0.9, 1 gave {np.round(values, 4)}; "
            "expected it to fall as the texts move toward their images"
        )


@pytest.mark.points(2)
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


def test_recall_at_k_is_one_for_the_identity(answer):
    for k in (1, 3):
        value = answer.recall_at_k(np.eye(6, dtype=np.float32), k)
        expect_close(value, 1.0, f"recall_at_k(eye(6), {k})", "every row's largest entry is its own column")


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


def test_recall_at_k_does_not_fall_as_k_grows_and_is_one_at_n(answer):
    similarity = np.random.default_rng(9).standard_normal((10, 10)).astype(np.float32)
    values = [float(as_array(answer.recall_at_k(similarity, k), f"recall_at_k(random 10x10, {k})")) for k in range(1, 11)]
    if any(later < earlier for earlier, later in itertools.pairwise(values)) or abs(values[-1] - 1.0) > 1e-6:
        raise AssertionError(
            f"recall_at_k(random 10x10, k) for k = 1..10 gave {np.round(values, 3)}; expected a non-decreasing sequence "
            "ending at 1.0 (with k = n every column is retrieved)"
        )


def test_encoders_map_into_the_same_space(answer):
    data = toy_data.make_batch(8, 0)
    image_out = expect_shape(answer.build_image_encoder(24)(tf.constant(data.images)), (8, 24), "build_image_encoder(24)(images (8, 28, 28, 1))")
    text_out = expect_shape(answer.build_text_encoder(VOCAB, 24)(tf.constant(data.captions)), (8, 24),
                            "build_text_encoder(vocab_size, 24)(captions (8, 6))")
    for out, call in ((image_out, "image_encoder(images)"), (text_out, "text_encoder(captions)")):
        expect_float(out, call)
        expect_finite(out, call)


def encoders_and_batch(answer):
    image_encoder, text_encoder = answer.build_image_encoder(), answer.build_text_encoder(VOCAB)
    data = toy_data.make_batch(16, 1)
    images, captions = tf.constant(data.images), tf.constant(data.captions)
    image_encoder(images), text_encoder(captions)
    return image_encoder, text_encoder, images, captions


@pytest.mark.points(2)
def test_train_step_updates_both_encoders(answer):
    image_encoder, text_encoder, images, captions = encoders_and_batch(answer)
    before_i, before_t = snapshot(image_encoder.trainable_variables), snapshot(text_encoder.trainable_variables)
    expect_finite(answer.train_step(image_encoder, text_encoder, keras.optimizers.Adam(1e-3), images, captions, 0.1),
                  "train_step(..., temperature=0.1)")
    for name, before, model in (("image", before_i, image_encoder), ("text", before_t, text_encoder)):
        if not any(changed(before, model.trainable_variables)):
            raise AssertionError(f"train_step left every weight of the {name} encoder unchanged; expected both encoders to move")


def test_train_step_returns_the_contrastive_loss_of_the_batch(answer):
    image_encoder, text_encoder, images, captions = encoders_and_batch(answer)
    expected = reference_loss(image_encoder(images, training=True), text_encoder(captions, training=True), 0.1)
    loss = answer.train_step(image_encoder, text_encoder, keras.optimizers.Adam(1e-3), images, captions, 0.1)
    expect_close(loss, expected, "train_step(..., temperature=0.1)", "the contrastive loss of the batch before the update", atol=1e-4)


@pytest.mark.training
@pytest.mark.points(3)
def test_training_aligns_images_with_their_captions(answer):
    """Train on jittered toy scenes, then retrieve among the 64 distinct scenes (clean images vs captions):
    recall@1 by chance is 1/64."""
    image_encoder, text_encoder = answer.build_image_encoder(), answer.build_text_encoder(VOCAB)
    optimizer = keras.optimizers.Adam(3e-3)
    step = compiled(answer.train_step, ready_to_compile(optimizer, image_encoder, text_encoder))
    data = toy_data.make_batch(1024, seed=2)
    scenes = toy_data.all_scenes()
    eval_images = tf.constant(np.stack([toy_data.render(s) for s in scenes]))
    eval_captions = tf.constant(np.stack([toy_data.encode(s.words) for s in scenes]))
    rng = np.random.default_rng(0)
    for _ in range(LEARNING_STEPS):
        idx = rng.choice(len(data.images), 64, replace=False)
        step(image_encoder, text_encoder, optimizer, tf.constant(data.images[idx]), tf.constant(data.captions[idx]), 0.1)
    a = as_array(image_encoder(eval_images), "image_encoder(images)")
    b = as_array(text_encoder(eval_captions), "text_encoder(captions)")
    a, b = a / np.linalg.norm(a, axis=1, keepdims=True), b / np.linalg.norm(b, axis=1, keepdims=True)
    similarity = a @ b.T
    recall = float(np.mean(np.argmax(similarity, axis=1) == np.arange(len(scenes))))
    if recall < 0.15:
        raise AssertionError(
            f"after {LEARNING_STEPS} train_step calls, image->caption recall@1 over the 64 toy scenes was {recall:.3f}; "
            "expected at least 0.15 (chance is 0.016). Does the step minimise the symmetric loss and update both encoders?"
        )
