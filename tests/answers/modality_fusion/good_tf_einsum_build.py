"""Modality fusion written with raw TensorFlow ops: tf.einsum / tf.nn.softmax attention,
sub-layers created in build(), a keras Embedding for the modality ids and a gate squeezed
strictly inside (0, 1) so that it never saturates to exactly 0 or 1 in float32."""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import layers


def attention(queries, keys, values, key_mask=None):
    """Scaled dot-product attention over the keys; padded keys get weight 0. Returns (outputs, weights)."""
    queries = tf.convert_to_tensor(queries, tf.float32)
    keys = tf.convert_to_tensor(keys, tf.float32)
    values = tf.convert_to_tensor(values, tf.float32)
    depth = tf.cast(tf.shape(queries)[-1], tf.float32)
    scores = tf.einsum("bqd,bkd->bqk", queries, keys) * tf.math.rsqrt(depth)
    if key_mask is not None:
        keep = tf.cast(key_mask, tf.bool)[:, tf.newaxis, :]
        # The lowest float32 beats any real score, however negative.
        scores = tf.where(keep, scores, tf.fill(tf.shape(scores), tf.float32.min))
    weights = tf.nn.softmax(scores, axis=-1)
    outputs = tf.einsum("bqk,bkv->bqv", weights, values)
    return outputs, weights


class ConcatFusion(layers.Layer):
    """Project each modality, concatenate, mix: [a, b] -> (batch, dim)."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def build(self, input_shape):
        shape_a, shape_b = input_shape
        self.project_a = layers.Dense(2 * self.dim, activation="gelu", name="project_a")
        self.project_b = layers.Dense(2 * self.dim, activation="gelu", name="project_b")
        self.mix = layers.Dense(self.dim, name="mix")
        self.project_a.build(shape_a)
        self.project_b.build(shape_b)
        self.mix.build((None, 4 * self.dim))

    def call(self, inputs):
        a, b = inputs
        joined = tf.concat([self.project_a(a), self.project_b(b)], axis=-1)
        return self.mix(joined)


class GatedFusion(layers.Layer):
    """[a, b] -> (fused, gate): fused = gate * h_a + (1 - gate) * h_b, gate strictly inside (0, 1)."""

    _EPS = 1e-6

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def build(self, input_shape):
        shape_a, shape_b = input_shape
        self.project_a = layers.Dense(self.dim, name="project_a")
        self.project_b = layers.Dense(self.dim, name="project_b")
        self.gate_from_a = layers.Dense(self.dim, name="gate_from_a")
        self.gate_from_b = layers.Dense(self.dim, use_bias=False, name="gate_from_b")
        for layer, shape in ((self.project_a, shape_a), (self.gate_from_a, shape_a),
                             (self.project_b, shape_b), (self.gate_from_b, shape_b)):
            layer.build(shape)

    def call(self, inputs):
        a, b = inputs
        h_a = self.project_a(a)
        h_b = self.project_b(b)
        logits = self.gate_from_a(a) + self.gate_from_b(b)
        z = self._EPS + (1.0 - 2.0 * self._EPS) * tf.sigmoid(logits)
        return z * h_a + (1.0 - z) * h_b, z


class CrossAttentionFusion(layers.Layer):
    """[x, context] -> (fused (b, Lx, dim), weights (b, Lx, Lc)); queries from x, keys and values from the context."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def build(self, input_shape):
        shape_x, shape_c = input_shape
        self.project_x = layers.Dense(self.dim, name="project_x")
        self.query = layers.Dense(self.dim, use_bias=False, name="query")
        self.key = layers.Dense(self.dim, use_bias=False, name="key")
        self.value = layers.Dense(self.dim, name="value")
        self.project_x.build(shape_x)
        self.query.build(tuple(shape_x[:-1]) + (self.dim,))
        self.key.build(shape_c)
        self.value.build(shape_c)

    def call(self, inputs, context_mask=None):
        x, context = inputs
        h = self.project_x(x)
        attended, weights = attention(self.query(h), self.key(context), self.value(context), context_mask)
        return h + attended, weights


class SelfAttentionFusion(layers.Layer):
    """[a, b] -> (fused (b, La + Lb, dim), weights (b, La + Lb, La + Lb)) over the joint token sequence."""

    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def build(self, input_shape):
        shape_a, shape_b = input_shape
        self.project_a = layers.Dense(self.dim, name="project_a")
        self.project_b = layers.Dense(self.dim, name="project_b")
        self.modality = layers.Embedding(2, self.dim, embeddings_initializer="normal", name="modality")
        self.qkv = layers.Dense(3 * self.dim, name="qkv")
        self.project_a.build(shape_a)
        self.project_b.build(shape_b)
        self.modality.build((None,))
        self.qkv.build((None, None, self.dim))

    def call(self, inputs, b_mask=None):
        a, b = inputs
        length_a, length_b = tf.shape(a)[1], tf.shape(b)[1]
        ids = tf.concat([tf.zeros([length_a], tf.int32), tf.ones([length_b], tf.int32)], axis=0)
        tokens = tf.concat([self.project_a(a), self.project_b(b)], axis=1) + self.modality(ids)[tf.newaxis]
        q, k, v = tf.split(self.qkv(tokens), 3, axis=-1)
        mask = None
        if b_mask is not None:
            mask = tf.concat([tf.ones(tf.shape(a)[:2], tf.bool), tf.cast(b_mask, tf.bool)], axis=1)
        attended, weights = attention(q, k, v, mask)
        return tokens + attended, weights
