"""Bug: log_vars has shape (num_tasks,), one log-variance per task; this answer learns a single scalar s shared by all tasks."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_uncertainty_weighting_has_one_zero_log_variance_per_task", "test_uncertainty_weighting_matches_the_contract_in_values_and_gradients")


_ReferenceWeighting = UncertaintyWeighting  # noqa: F821


class UncertaintyWeighting(_ReferenceWeighting):
    def __init__(self, num_tasks: int = 2, **kwargs):
        layers.Layer.__init__(self, **kwargs)
        self.num_tasks = num_tasks
        self.log_vars = self.add_weight(shape=(), initializer="zeros", trainable=True, name="log_vars")
