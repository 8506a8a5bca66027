"""Bug: a copy-paste slip concatenates the projection of a with itself, so ConcatFusion never sees b."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("modality_fusion", globals())
CAUGHT_BY = ("test_concat_fusion_uses_both_modalities", "test_concat_fusion_learns_a_task_that_needs_both_modalities")


class ConcatFusion(layers.Layer):
    def __init__(self, dim, **kwargs):
        super().__init__(**kwargs)
        self.project_a = layers.Dense(dim, activation="relu")
        self.project_b = layers.Dense(dim, activation="relu")
        self.mix = layers.Dense(dim, activation="relu")

    def call(self, inputs):
        a, b = inputs  # noqa: RUF059
        return self.mix(ops.concatenate([self.project_a(a), self.project_a(a)], axis=-1))
