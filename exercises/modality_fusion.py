"""Modality fusion: combining image and text features in one network (seed §4 question 1, §6).

Interview question
    A multimodal model has to combine features that come from different modalities,
    with different sizes, scales and sequence lengths. How do you fuse them? Implement
    four fusion layers, from the simplest to the most expressive: concatenation, a
    learned gate, cross-attention (one modality queries the other) and self-attention
    over the tokens of both modalities together.

What to build (all float32; masks are bool (batch, length), True = a real token,
False = padding)
    attention(queries, keys, values, key_mask=None) -> (outputs, weights)
        queries (b, Lq, d), keys (b, Lk, d), values (b, Lk, dv).
        weights = softmax over the keys (last axis) of queries·keys / sqrt(d),
        shape (b, Lq, Lk); each row sums to 1 and padded keys (key_mask False) get
        weight 0, however large the scores (no overflow, no NaN). A row whose keys
        are all padded has nothing to attend to: it gets uniform weights, 1 / Lk each
        (what masking the scores before the softmax with a large negative number
        gives). outputs = weights @ values, shape (b, Lq, dv). Both are differentiable
        with respect to queries, keys and values.
    ConcatFusion(dim): keras layer, called on [a, b] with a (batch, da), b (batch, db)
        -> (batch, dim). Project each modality, concatenate, mix with a dense layer.
    GatedFusion(dim): keras layer, called on [a, b] -> (fused, gate), both (batch, dim).
        Project each modality to dim (h_a from a alone, h_b from b alone); a learned
        gate z (trained through fused), computed from both inputs (it changes when
        either changes), with every value strictly inside (0, 1) for inputs of
        ordinary size; fused = z * h_a + (1 - z) * h_b, with the z it returns.
    CrossAttentionFusion(dim): keras layer, called as layer([x, context], context_mask=None)
        with x (b, Lx, dx) and context (b, Lc, dc) -> (fused (b, Lx, dim), weights (b, Lx, Lc)).
        Queries come from x, keys and values from the context; padded context tokens
        get zero weight. Each fused position keeps its own modality and adds what it
        gathered from the other: fused = projected x + attended context (so with a
        single context token, which every position attends to alone, the fused
        positions still differ as x's do).
    SelfAttentionFusion(dim): keras layer, called as layer([a, b], b_mask=None) with
        a (b, La, da), b (b, Lb, db) -> (fused (b, La + Lb, dim), weights (b, La + Lb, La + Lb)).
        Project both to dim, add a learned embedding that says which modality each
        token comes from, concatenate along the sequence axis (a first, then b) and
        attend over the joint sequence; padded tokens of b get zero weight as keys.
        fused = the joint tokens + their attention output, at every position (padded
        ones too). Initialise the two modality embeddings apart (randomly, not both
        zero): on all-zero inputs a fresh layer's tokens of a and of b already differ.

    Build sub-layers in __init__ (or build) so that their weights are tracked. The
    checks call the layers with tensors, without a training argument, and train
    each one (dim 32) inside a small classifier: a Dense(8) head on the fused
    features, for a label that needs both modalities (the size of an image x the
    shape named by an unrelated caption; one modality alone allows at most 0.5).
    ConcatFusion and GatedFusion get the flattened 28x28 image and the caption's
    bag of words; the attention layers get the image as 7 tokens of 4 pixel rows and
    the caption as one-hot tokens with its padding mask (the head reads the mean of
    the fused tokens, of each modality for self-attention). Trained with Adam(1e-2)
    for 40 steps of 64 examples drawn from 1024, each must reach accuracy 0.7 on 256
    new examples.

Grade with: python grade.py modality_fusion
"""

from __future__ import annotations

import keras  # noqa: F401
from keras import layers, ops  # noqa: F401


def attention(queries, keys, values, key_mask=None):
    """Scaled dot-product attention over the keys; padded keys get weight 0. Returns (outputs, weights)."""
    raise NotImplementedError


class ConcatFusion(layers.Layer):
    """Project each modality, concatenate, mix: [a, b] -> (batch, dim)."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        # create your sub-layers here

    def call(self, inputs):
        raise NotImplementedError


class GatedFusion(layers.Layer):
    """[a, b] -> (fused, gate): fused = gate * h_a + (1 - gate) * h_b, gate strictly inside (0, 1)."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        # create your sub-layers here

    def call(self, inputs):
        raise NotImplementedError


class CrossAttentionFusion(layers.Layer):
    """[x, context] -> (fused (b, Lx, dim), weights (b, Lx, Lc)); queries from x, keys and values from the context."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        # create your sub-layers here

    def call(self, inputs, context_mask=None):
        raise NotImplementedError


class SelfAttentionFusion(layers.Layer):
    """[a, b] -> (fused (b, La + Lb, dim), weights (b, La + Lb, La + Lb)) over the joint token sequence."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        # create your sub-layers here

    def call(self, inputs, b_mask=None):
        raise NotImplementedError
