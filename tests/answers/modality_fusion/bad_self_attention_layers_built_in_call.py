"""Bug: SelfAttentionFusion creates its Dense layers inside call(), so every call uses fresh random weights that no
optimizer ever sees: the outputs have the right shapes but nothing can be learned."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_self_attention_fusion_learns_a_task_that_needs_both_modalities",)


class SelfAttentionFusion(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim

    def call(self, inputs, b_mask=None):
        a, b = inputs
        modality = layers.Embedding(2, self.dim)
        ta = layers.Dense(self.dim)(a) + modality(ops.zeros(ops.shape(a)[:2], dtype="int32"))
        tb = layers.Dense(self.dim)(b) + modality(ops.ones(ops.shape(b)[:2], dtype="int32"))
        tokens = ops.concatenate([ta, tb], axis=1)
        mask = None
        if b_mask is not None:
            mask = ops.concatenate([ops.ones(ops.shape(a)[:2], dtype="bool"), ops.cast(b_mask, "bool")], axis=1)
        q, k, v = (layers.Dense(self.dim)(tokens) for _ in range(3))
        attended, weights = attention(q, k, v, mask)  # noqa: F821
        return tokens + attended, weights
