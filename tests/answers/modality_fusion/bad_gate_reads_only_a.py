"""Bug: the contract says the gate z is computed from both inputs; this answer computes it from a alone, so b cannot
change the gate."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_gate_is_computed_from_both_inputs",)


class GatedFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim, activation="tanh")
        self.project_b = layers.Dense(dim, activation="tanh")
        self.gate = layers.Dense(dim, activation="sigmoid")

    def call(self, inputs):
        a, b = inputs
        z = self.gate(a)
        return z * self.project_a(a) + (1.0 - z) * self.project_b(b), z
