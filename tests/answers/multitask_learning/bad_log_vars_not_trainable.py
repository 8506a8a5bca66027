"""Bug: the log-variances are created as non-trainable weights, so the "learned" weighting never learns."""

from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_log_variances_are_trainable",
             "test_train_step_applies_one_sgd_update_of_the_weighted_loss")


class UncertaintyWeighting(layers.Layer):
    def __init__(self, num_tasks=2, **kwargs):
        super().__init__(**kwargs)
        self.log_vars = self.add_weight(shape=(num_tasks,), initializer="zeros", trainable=False, name="log_vars")

    def call(self, losses):
        losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        return ops.sum(ops.exp(-self.log_vars) * losses + self.log_vars)
