"""Bug: the weighted loss is sum_i exp(-s_i) * L_i + s_i; this answer uses the regression form of Kendall et al., 0.5 * exp(-s_i) * L_i + 0.5 * s_i (half the contract value)."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_matches_the_formula", "test_uncertainty_weighting_matches_the_contract_in_values_and_gradients")


_ReferenceWeighting = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_ReferenceWeighting):
    def call(self, losses):
        if isinstance(losses, (list, tuple)):
            losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        return ops.sum(0.5 * ops.exp(-self.log_vars) * losses + 0.5 * self.log_vars)
