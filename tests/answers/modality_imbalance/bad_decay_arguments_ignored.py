"""Bug: make_optimizers must decay with the given decay_rate and decay_steps; this answer builds every schedule with the default 0.5 and 100, so non-default decay arguments are ignored."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate",)


def make_optimizers(base_rates, decay_rate: float = 0.5, decay_steps: int = 100):
    return {name: keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(rate, 100, 0.5))  # noqa: F821
            for name, rate in base_rates.items()}
