"""Bug: the contract says fused = z * h_a + (1 - z) * h_b with z the returned gate; this answer returns z but mixes z *
h_b + (1 - z) * h_a."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_output_is_gate_times_h_a_plus_one_minus_gate_times_h_b",)


class GatedFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim, activation="tanh")
        self.project_b = layers.Dense(dim, activation="tanh")
        self.gate = layers.Dense(dim, activation="sigmoid")

    def call(self, inputs):
        a, b = inputs
        z = self.gate(ops.concatenate([a, b], axis=-1))
        return (1.0 - z) * self.project_a(a) + z * self.project_b(b), z
