"""Bug: make_optimizers must give rate learning_rate_at(t, ...) after t updates (so the first update uses the base rate); this answer's schedule evaluates learning_rate_at(step + 1, ...), so every update uses the next step's smaller rate."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate",)


class _Decay(keras.optimizers.schedules.LearningRateSchedule):  # noqa: F821
    def __init__(self, base_rate, decay_rate, decay_steps):
        self.base_rate, self.decay_rate, self.decay_steps = base_rate, decay_rate, decay_steps

    def __call__(self, step):
        step = ops.cast(step, "float32") + 1.0  # noqa: F821
        return self.base_rate * ops.power(self.decay_rate, step / self.decay_steps)  # noqa: F821


def make_optimizers(base_rates, decay_rate: float = 0.5, decay_steps: int = 100):
    return {name: keras.optimizers.SGD(_Decay(rate, decay_rate, decay_steps))  # noqa: F821
            for name, rate in base_rates.items()}
