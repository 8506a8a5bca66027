"""Bug: ConcatFusion returns the bare concatenation of the two projections, (batch, 2 * dim), and never mixes it down to dim."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_concat_fusion_returns_one_vector_per_example",)


class ConcatFusion(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.project_a = layers.Dense(dim, activation="relu")
        self.project_b = layers.Dense(dim, activation="relu")

    def call(self, inputs):
        a, b = inputs
        return ops.concatenate([self.project_a(a), self.project_b(b)], axis=-1)
