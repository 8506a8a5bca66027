"""Bug: the weighted loss sum_i exp(-s_i) * L_i + s_i is minimised in s too; this answer wraps exp(-s_i) in stop_gradient, so s only feels the +s_i term and drifts down without bound."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_log_variances_are_trainable", "test_uncertainty_weighting_matches_the_contract_in_values_and_gradients", "test_train_step_applies_one_sgd_update_of_the_weighted_loss")


_ReferenceWeighting = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_ReferenceWeighting):
    def call(self, losses):
        if isinstance(losses, (list, tuple)):
            losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        precision = ops.stop_gradient(ops.exp(-self.log_vars))
        return ops.sum(precision * losses + self.log_vars)
