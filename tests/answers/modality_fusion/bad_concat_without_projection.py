"""Bug: the contract says ConcatFusion projects each modality before concatenating; this answer concatenates the raw
inputs and only applies the mixing layer."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_concat_fusion_learns_a_task_that_needs_both_modalities",)


class ConcatFusion(layers.Layer):
    def __init__(self, dim: int, **kwargs):
        super().__init__(**kwargs)
        self.dim = dim
        self.mix = layers.Dense(dim, activation="relu")

    def call(self, inputs):
        a, b = inputs
        return self.mix(ops.concatenate([a, b], axis=-1))
