"""Modality alignment: a shared embedding space for images and captions (seed §4 question 1).

Interview question
    Images and text live in different feature spaces, so a model cannot compare them
    directly. How do you align the two modalities? Implement the CLIP recipe: a
    projection head per modality into one shared space, L2 normalisation, the
    symmetric contrastive (InfoNCE) loss with a temperature, and retrieval recall@k
    to measure how well matching pairs find each other.

What to build (toy data: mmgen.toy_data; images (n, 28, 28, 1) in [0, 1], captions
(n, 6) int32 with 0 = padding)
    l2_normalize(x) -> tensor like x (batch, dim) float32
        Each row divided by its L2 norm, so every row has norm 1. Guard against a zero
        row with a small epsilon (such as the default 1e-8): a zero row comes back as
        zeros, with no NaN. (Rows whose norm is near the epsilon are left free: the checks
        use norms of 1e-3 and more, and compare gradients at norms of 0.05 and more.)
    similarity_matrix(image_embeddings, text_embeddings) -> (n_images, n_texts) float32
        Cosine similarities: entry [i, j] compares image i with text j, in [-1, 1].
        Normalise inside, so the scale of the embeddings does not matter.
    contrastive_loss(image_embeddings, text_embeddings, temperature=TEMPERATURE) -> scalar
        Logits = similarity_matrix / temperature (n, n). Pair i matches pair i, so the
        targets are on the diagonal. Loss = mean of the cross-entropy over each row
        (image -> text) and over each column (text -> image):
            0.5 * (CE(logits, diag) + CE(logits^T, diag)), each averaged over the batch.
        A differentiable tensor: both terms pass their gradients to both embeddings.
        Checked against the model answer, in values and gradients, for batches of 1 to
        16 pairs, rows of norm 0.05 to 1e4 and temperatures from 0.02 to 2.
    recall_at_k(similarity, k) -> python float in [0, 1]
        similarity (n, n), numpy or tensor, and 1 <= k <= n; the fraction of rows i whose
        own column i is among the k largest entries of row i (image -> text retrieval).
        How ties are broken is left free (the checks use scores without ties).
    build_image_encoder(embed_dim=EMBED_DIM) -> keras.Model
        images (batch, 28, 28, 1) -> (batch, embed_dim) float32; ends in a linear
        projection head into the shared space (no normalisation inside the model).
    build_text_encoder(vocab_size, embed_dim=EMBED_DIM) -> keras.Model
        captions (batch, 6) int32 -> (batch, embed_dim) float32, for any token ids
        below vocab_size; ends in a linear projection head into the same space (no
        normalisation inside the model either).
        The checks read both properties from freshly built encoders on toy data: their
        outputs have coordinates of both signs (a linear head, not a ReLU or a sigmoid),
        and their rows do not all have norm 1 (the normalising is l2_normalize's job).
    train_step(image_encoder, text_encoder, optimizer, images, captions,
               temperature=TEMPERATURE) -> scalar loss
        Exactly one optimizer step on contrastive_loss(image_encoder(images,
        training=True), text_encoder(captions, training=True), temperature), applied to
        every trainable variable of both encoders; returns that loss, from before the
        update. It must work for any two Keras encoders with these inputs and outputs:
        the checks also pass their own small encoders with Dropout, and compare one step
        with keras.optimizers.SGD against the gradient of that loss.

    Learning check: from freshly built encoders, up to 40 train_step calls with
    keras.optimizers.Adam(3e-3), each on 64 distinct pairs drawn from 1024 jittered toy
    scenes (toy_data.make_batch(1024, seed=2)), at temperature 0.1; every 10 calls the
    encoders, called in inference mode, are measured, and the check passes the first time
    they reach image -> caption recall@1 of at least 0.15 over the 64 clean toy scenes
    (chance is 1/64).

    Pass tensors, not NumPy arrays, to the Keras models.

Model answer (to say aloud)
    Mismatch between modalities is handled in three ways, and which fits depends on
    what the model has to do.

    Fusion combines features of both modalities inside one network: concatenation
    (cheap, but fixed weights), a learned gate (decides per example how much each
    modality counts, robust to a noisy one) or attention (each text token picks the
    image regions it needs; best for fine-grained grounding, quadratic in length).
    It fits when a task needs both inputs at once, such as VQA or conditioned
    generation.

    Alignment, this exercise, maps each modality into one shared space with its own
    encoder and a projection head, and trains with a contrastive loss: matching pairs
    on the diagonal of the similarity matrix are pulled together and every other pair
    in the batch is pushed apart, in both directions. Normalising first makes the
    score a cosine, so the model cannot cheat by growing norms; the temperature sets
    how sharp the softmax is. The encoders stay separate, so retrieval is a dot
    product over precomputed embeddings, and the space can condition a generator.
    It needs many paired examples and large batches for enough negatives.

    Multi-task learning trains one shared encoder on several tasks, say text to
    image and image to text, so the shared layers must hold what both modalities
    have in common; the cost is balancing the losses, by fixed weights or learned
    uncertainty weights, and tasks that fight over the shared weights.

    Likely follow-ups. Why symmetric? Each direction is a retrieval problem of its
    own; one direction leaves the other space unshaped. Why a temperature, and why
    learn it? Cosines lie in [-1, 1], too flat for a softmax; dividing by a small T
    sharpens it, and CLIP learns log(1/T) with a cap. False negatives in the batch
    (two captions of the same scene)? Larger batches help little; use soft targets
    or deduplicate. How to evaluate? Recall@k in both directions on held-out pairs,
    and zero-shot classification with prompts as the text side.

Checklist (what a strong spoken answer covers)
    - One encoder per modality, each ending in a linear projection head into one shared embedding space
    - L2-normalises the embeddings so the score is a cosine and the model cannot cheat by growing norms
    - Batch similarity matrix: matching pairs on the diagonal pulled together, all others pushed apart
    - Symmetric InfoNCE: cross-entropy over rows (image to text) and columns (text to image), averaged
    - Why symmetric: each direction is its own retrieval task; one alone leaves the other space unshaped
    - Temperature: cosines in [-1, 1] are too flat for a softmax; dividing by a small T sharpens it
    - Evaluates with recall@k (true match among the top k) in both directions on held-out pairs
    - Costs and benefits: needs many pairs and large batches for negatives; retrieval is a dot product
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

EMBED_DIM = 32
TEMPERATURE = 0.1


def l2_normalize(x, epsilon: float = 1e-8):
    """Rows of ``x`` scaled to unit L2 norm."""
    x = ops.convert_to_tensor(x, dtype="float32")
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=-1, keepdims=True), epsilon))


def similarity_matrix(image_embeddings, text_embeddings):
    """Cosine similarity of every image (rows) with every text (columns)."""
    return ops.matmul(l2_normalize(image_embeddings), ops.transpose(l2_normalize(text_embeddings)))


def _cross_entropy_on_diagonal(logits):
    """Mean cross-entropy of each row of ``logits`` against the target at its own index."""
    log_probs = logits - ops.logsumexp(logits, axis=-1, keepdims=True)
    return -ops.mean(ops.diagonal(log_probs))


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    """Symmetric InfoNCE: mean of the image->text and text->image cross-entropies."""
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature
    return 0.5 * (_cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(logits)))


def recall_at_k(similarity, k: int) -> float:
    """Fraction of rows whose own column is among the k highest scores of the row."""
    scores = np.asarray(similarity, dtype=np.float64)
    own = np.diagonal(scores)[:, None]
    rank = np.sum(scores > own, axis=1)  # how many columns beat the true match
    return float(np.mean(rank < k))


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    """Small MLP (the toy images are simple), then a linear projection head into the shared space."""
    images = keras.Input(shape=(28, 28, 1))
    x = layers.Dense(64, activation="relu")(layers.Flatten()(images))
    return keras.Model(images, layers.Dense(embed_dim)(x), name="image_encoder")


def build_text_encoder(vocab_size: int, embed_dim: int = EMBED_DIM) -> keras.Model:
    """Token embeddings, flattened (so each position keeps its own slot), then a linear projection head."""
    tokens = keras.Input(shape=(6,), dtype="int32")
    x = layers.Flatten()(layers.Embedding(vocab_size, 16)(tokens))
    return keras.Model(tokens, layers.Dense(embed_dim)(x), name="text_encoder")


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    """One optimizer step on the contrastive loss; both encoders move.

    Plain eager code; wrap it in tf.function for speed in a training loop (the checks do).
    """
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True), temperature)
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
