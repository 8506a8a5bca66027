"""Bug: keys and values are taken from x instead of the context, so "cross"-attention is self-attention over x and
the other modality never reaches the fused sequence (the weights come out (b, Lx, Lx))."""

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = (
    "test_cross_attention_fusion_weights_sum_to_one_over_the_context",
    "test_cross_attention_fusion_uses_both_modalities",
    "test_cross_attention_fusion_learns_a_task_that_needs_both_modalities",
)
_Reference = CrossAttentionFusion  # noqa: F821


class CrossAttentionFusion(_Reference):
    def call(self, inputs, context_mask=None):
        x, context = inputs  # noqa: RUF059
        h = self.project_x(x)
        attended, weights = attention(self.to_query(h), self.to_key(h), self.to_value(h))  # noqa: F821
        return h + attended, weights
