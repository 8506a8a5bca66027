"""Bug: the weight is exp(+s) instead of exp(-s), so a task with a large loss is weighted up, not down."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_matches_the_formula", "test_uncertainty_weighting_log_variances_are_trainable",
             "test_uncertainty_weighting_matches_the_contract_in_values_and_gradients", "test_train_step_applies_one_sgd_update_of_the_weighted_loss")
_Reference = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_Reference):
    def call(self, losses):
        losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        return ops.sum(ops.exp(self.log_vars) * losses + self.log_vars)
