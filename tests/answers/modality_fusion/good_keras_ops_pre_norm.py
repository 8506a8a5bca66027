"""Modality fusion written with keras.ops only: EinsumDense projections, LayerNormalization
before each projection (so modalities with different scales start comparable), Dropout in
the concatenation branch, a masked softmax that subtracts the row maximum of the real keys,
and a gate clipped strictly inside (0, 1)."""

from __future__ import annotations

import keras
from keras import layers, ops


def attention(queries, keys, values, key_mask=None):
    """Scaled dot-product attention over the keys; padded keys get weight 0. Returns (outputs, weights)."""
    queries = ops.cast(ops.convert_to_tensor(queries), "float32")
    keys = ops.cast(ops.convert_to_tensor(keys), "float32")
    values = ops.cast(ops.convert_to_tensor(values), "float32")
    d = ops.shape(queries)[-1]
    scores = ops.einsum("bqd,bkd->bqk", queries, keys) / ops.sqrt(ops.cast(d, "float32"))
    if key_mask is None:
        keep = ops.ones_like(scores)
    else:
        keep = ops.broadcast_to(ops.expand_dims(ops.cast(key_mask, "float32"), 1), ops.shape(scores))
    # Manual, numerically stable masked softmax: shift by the largest real score of each row.
    row_max = ops.max(ops.where(keep > 0, scores, ops.full_like(scores, -3.0e38)), axis=-1, keepdims=True)
    row_max = ops.stop_gradient(ops.where(row_max < -1.0e38, ops.zeros_like(row_max), row_max))
    shifted = ops.where(keep > 0, scores - row_max, ops.zeros_like(scores))  # <= 0 on real keys
    e = ops.exp(shifted) * keep
    total = ops.sum(e, axis=-1, keepdims=True)
    n_real = ops.sum(keep, axis=-1, keepdims=True)
    # A row with no real key at all: fall back to uniform weights so that it still sums to 1.
    uniform = ops.ones_like(scores) / ops.cast(ops.shape(scores)[-1], "float32")
    weights = ops.where(n_real > 0, e / ops.maximum(total, 1e-30), uniform)
    return ops.einsum("bqk,bkv->bqv", weights, values), weights


class ConcatFusion(layers.Layer):
    """Project each modality, concatenate, mix: [a, b] -> (batch, dim)."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.norm_a = layers.LayerNormalization()
        self.norm_b = layers.LayerNormalization()
        self.project_a = layers.EinsumDense("bi,io->bo", output_shape=(dim,), bias_axes="o", activation="silu")
        self.project_b = layers.EinsumDense("bi,io->bo", output_shape=(dim,), bias_axes="o", activation="silu")
        self.dropout = layers.Dropout(0.1)
        self.mix = layers.Dense(dim)

    def call(self, inputs, training=None):
        a, b = inputs
        joined = ops.concatenate([self.project_a(self.norm_a(a)), self.project_b(self.norm_b(b))], axis=-1)
        return self.mix(self.dropout(joined, training=training))


class GatedFusion(layers.Layer):
    """[a, b] -> (fused, gate): fused = gate * h_a + (1 - gate) * h_b, gate strictly inside (0, 1)."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim, activation="relu")
        self.project_b = layers.Dense(dim, activation="relu")
        self.gate_hidden = layers.Dense(dim, activation="tanh")
        self.gate_out = layers.Dense(dim)

    def call(self, inputs):
        a, b = inputs
        z = ops.sigmoid(self.gate_out(self.gate_hidden(ops.concatenate([a, b], axis=-1))))
        z = ops.clip(z, 1e-6, 1.0 - 1e-6)
        return z * self.project_a(a) + (1.0 - z) * self.project_b(b), z


class CrossAttentionFusion(layers.Layer):
    """[x, context] -> (fused (b, Lx, dim), weights (b, Lx, Lc)); queries from x, keys and values from the context."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.norm_context = layers.LayerNormalization()
        self.project_x = layers.EinsumDense("bld,de->ble", output_shape=(None, dim), bias_axes="e")
        self.query = layers.EinsumDense("ble,ef->blf", output_shape=(None, 2 * dim))
        self.key = layers.EinsumDense("bld,df->blf", output_shape=(None, 2 * dim))
        self.value = layers.EinsumDense("bld,de->ble", output_shape=(None, dim), bias_axes="e")

    def call(self, inputs, context_mask=None):
        x, context = inputs
        h = self.project_x(x)
        c = self.norm_context(context)
        attended, weights = attention(self.query(h), self.key(c), self.value(c), context_mask)
        return h + attended, weights


class SelfAttentionFusion(layers.Layer):
    """[a, b] -> (fused (b, La + Lb, dim), weights (b, La + Lb, La + Lb)) over the joint token sequence."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim)
        self.project_b = layers.Dense(dim)
        self.to_query = layers.Dense(dim, use_bias=False)
        self.to_key = layers.Dense(dim, use_bias=False)
        self.to_value = layers.Dense(dim)
        self.embed_a = self.add_weight(shape=(dim,), initializer=keras.initializers.RandomNormal(stddev=0.1),
                                       name="modality_a")
        self.embed_b = self.add_weight(shape=(dim,), initializer=keras.initializers.RandomNormal(stddev=0.1),
                                       name="modality_b")

    def call(self, inputs, b_mask=None):
        a, b = inputs
        tokens = ops.concatenate([self.project_a(a) + self.embed_a, self.project_b(b) + self.embed_b], axis=1)
        mask = None
        if b_mask is not None:
            mask = ops.concatenate([ops.ones(ops.shape(a)[:2], dtype="bool"), ops.cast(b_mask, "bool")], axis=1)
        attended, weights = attention(self.to_query(tokens), self.to_key(tokens), self.to_value(tokens), mask)
        return tokens + attended, weights
