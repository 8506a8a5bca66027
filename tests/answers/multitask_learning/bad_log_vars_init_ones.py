"""Bug: UncertaintyWeighting.log_vars must be initialised to 0; this answer initialises them to 1 (weights exp(-1) at the start)."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_has_one_zero_log_variance_per_task", "test_uncertainty_weighting_with_zero_log_variances_is_the_plain_sum")


_ReferenceWeighting = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_ReferenceWeighting):
    def __init__(self, num_tasks: int = 2, **kwargs):
        layers.Layer.__init__(self, **kwargs)
        self.num_tasks = num_tasks
        self.log_vars = self.add_weight(shape=(num_tasks,), initializer="ones", trainable=True, name="log_vars")
