"""Bug: the contract says padded context tokens get zero weight; CrossAttentionFusion accepts context_mask but never
passes it to the attention, so padded context tokens get weight."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_cross_attention_fusion_ignores_padded_context",)


class CrossAttentionFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_x = layers.Dense(dim)
        self.to_query = layers.Dense(dim)
        self.to_key = layers.Dense(dim)
        self.to_value = layers.Dense(dim)

    def call(self, inputs, context_mask=None):
        x, context = inputs
        h = self.project_x(x)
        attended, weights = attention(self.to_query(h), self.to_key(context), self.to_value(context))
        return h + attended, weights
