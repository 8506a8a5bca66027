"""Bug: "self-attention fusion" attends within each modality separately and only then concatenates, so nothing crosses."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_self_attention_fusion_mixes_the_two_modalities", "test_self_attention_fusion_attends_over_the_joint_sequence")
_Reference = SelfAttentionFusion  # noqa: F821


class SelfAttentionFusion(_Reference):
    def call(self, inputs, b_mask=None):
        a, b = inputs
        ta, tb = self.project_a(a) + self.modality[0], self.project_b(b) + self.modality[1]
        out_a, w_a = attention(self.to_query(ta), self.to_key(ta), self.to_value(ta))  # noqa: F821
        out_b, w_b = attention(self.to_query(tb), self.to_key(tb), self.to_value(tb), b_mask)  # noqa: F821
        return ops.concatenate([ta + out_a, tb + out_b], axis=1), (w_a, w_b)
