"""Bug: the contract asks for a learned gate; this answer wraps the gate in stop_gradient, so the gate weights never
receive a gradient and stay at their initial values."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_gate_is_learned_through_the_fused_output",)


class GatedFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim, activation="tanh")
        self.project_b = layers.Dense(dim, activation="tanh")
        self.gate = layers.Dense(dim, activation="sigmoid")

    def call(self, inputs):
        a, b = inputs
        z = ops.stop_gradient(self.gate(ops.concatenate([a, b], axis=-1)))
        return z * self.project_a(a) + (1.0 - z) * self.project_b(b), z
