"""Bug: the gate is a learned per-feature constant, sigmoid(w), broadcast over the batch: it never looks at the inputs."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_gated_fusion_gate_is_computed_from_both_inputs",)


class GatedFusion(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.project_a = layers.Dense(dim, activation="tanh")
        self.project_b = layers.Dense(dim, activation="tanh")

    def build(self, input_shape):
        self.gate_logits = self.add_weight(shape=(self.dim,), initializer="random_normal", name="gate_logits")

    def call(self, inputs):
        a, b = inputs
        h_a, h_b = self.project_a(a), self.project_b(b)
        z = ops.broadcast_to(ops.sigmoid(self.gate_logits), ops.shape(h_a))
        return z * h_a + (1.0 - z) * h_b, z
