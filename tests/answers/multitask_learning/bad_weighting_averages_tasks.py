"""Bug: the uncertainty weighting averages the weighted task terms instead of summing them, halving every weight."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = (
    "test_uncertainty_weighting_with_zero_log_variances_is_the_plain_sum",
    "test_uncertainty_weighting_matches_the_formula",
)
_Reference = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_Reference):
    def call(self, losses):
        losses = ops.stack([ops.reshape(ops.convert_to_tensor(loss, dtype="float32"), ()) for loss in losses])
        return ops.mean(ops.exp(-self.log_vars) * losses + self.log_vars)
