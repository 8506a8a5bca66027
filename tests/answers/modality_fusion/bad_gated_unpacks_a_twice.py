"""Bug: a typo unpacks the inputs as (inputs[0], inputs[0]), so the gate and the fused output are computed from a alone."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_uses_both_modalities", "test_gated_fusion_learns_a_task_that_needs_both_modalities")
_Reference = GatedFusion  # noqa: F821


class GatedFusion(_Reference):
    def call(self, inputs):
        a, b = inputs[0], inputs[0]
        z = self.gate(ops.concatenate([a, b], axis=-1))
        return z * self.project_a(a) + (1.0 - z) * self.project_b(b), z
