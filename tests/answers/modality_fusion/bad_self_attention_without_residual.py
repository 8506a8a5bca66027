"""Bug: the contract says fused = the joint tokens + their attention output; this answer returns the attention output alone."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_self_attention_fusion_adds_the_joint_tokens_to_their_attention_output",)


class SelfAttentionFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim)
        self.project_b = layers.Dense(dim)
        self.to_query = layers.Dense(dim)
        self.to_key = layers.Dense(dim)
        self.to_value = layers.Dense(dim)

    def build(self, input_shape):
        self.modality = self.add_weight(shape=(2, self.dim), initializer="random_normal", name="modality_embedding")

    def call(self, inputs, b_mask=None):
        a, b = inputs
        tokens = ops.concatenate([self.project_a(a) + self.modality[0], self.project_b(b) + self.modality[1]], axis=1)
        mask = None
        if b_mask is not None:
            mask = ops.concatenate([ops.ones(ops.shape(a)[:2], dtype="bool"), ops.cast(b_mask, "bool")], axis=1)
        attended, weights = attention(self.to_query(tokens), self.to_key(tokens), self.to_value(tokens), mask)
        return attended, weights
