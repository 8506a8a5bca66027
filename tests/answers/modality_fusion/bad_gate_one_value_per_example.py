"""Bug: the gate is a single number per example, Dense(1), instead of one weight per feature, so it has shape (batch, 1)."""

from keras import layers

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_returns_fused_vectors_and_a_gate",)
_Reference = GatedFusion  # noqa: F821


class GatedFusion(_Reference):
    def __init__(self, dim, **kwargs):
        super().__init__(dim, **kwargs)
        self.gate = layers.Dense(1, activation="sigmoid")
