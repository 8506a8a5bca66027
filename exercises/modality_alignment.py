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

Grade with: python grade.py modality_alignment
"""

from __future__ import annotations

import keras
import numpy as np  # noqa: F401
import tensorflow as tf  # noqa: F401
from keras import layers, ops  # noqa: F401

EMBED_DIM = 32
TEMPERATURE = 0.1


def l2_normalize(x, epsilon: float = 1e-8):
    """Rows of ``x`` scaled to unit L2 norm."""
    raise NotImplementedError


def similarity_matrix(image_embeddings, text_embeddings):
    """Cosine similarity of every image (rows) with every text (columns)."""
    raise NotImplementedError


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    """Symmetric InfoNCE: mean of the image->text and text->image cross-entropies."""
    raise NotImplementedError


def recall_at_k(similarity, k: int) -> float:
    """Fraction of rows whose own column is among the k highest scores of the row."""
    raise NotImplementedError


def build_image_encoder(embed_dim: int = EMBED_DIM) -> keras.Model:
    """Images (batch, 28, 28, 1) -> (batch, embed_dim), ending in a linear projection head."""
    raise NotImplementedError


def build_text_encoder(vocab_size: int, embed_dim: int = EMBED_DIM) -> keras.Model:
    """Captions (batch, 6) int32 -> (batch, embed_dim), ending in a linear projection head."""
    raise NotImplementedError


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    """One optimizer step on the contrastive loss, updating both encoders; returns the loss."""
    raise NotImplementedError
