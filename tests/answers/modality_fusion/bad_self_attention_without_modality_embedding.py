"""Bug: the contract says SelfAttentionFusion adds a learned embedding that says which modality each token comes from;
this answer concatenates the projected tokens without any modality embedding."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_self_attention_fusion_tokens_carry_a_modality_embedding",)


class SelfAttentionFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim)
        self.project_b = layers.Dense(dim)
        self.to_query = layers.Dense(dim)
        self.to_key = layers.Dense(dim)
        self.to_value = layers.Dense(dim)

    def call(self, inputs, b_mask=None):
        a, b = inputs
        tokens = ops.concatenate([self.project_a(a), self.project_b(b)], axis=1)
        mask = None
        if b_mask is not None:
            mask = ops.concatenate([ops.ones(ops.shape(a)[:2], dtype="bool"), ops.cast(b_mask, "bool")], axis=1)
        attended, weights = attention(self.to_query(tokens), self.to_key(tokens), self.to_value(tokens), mask)
        return tokens + attended, weights
