"""Bug: the gate is a plain linear layer, so its "weights" can be negative or above 1 and the mix is no longer a weighting."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_gate_is_strictly_between_zero_and_one",)


class GatedFusion(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.project_a = layers.Dense(dim, activation="tanh")
        self.project_b = layers.Dense(dim, activation="tanh")
        self.gate = layers.Dense(dim)

    def call(self, inputs):
        a, b = inputs
        z = self.gate(ops.concatenate([a, b], axis=-1))
        return z * self.project_a(a) + (1.0 - z) * self.project_b(b), z
