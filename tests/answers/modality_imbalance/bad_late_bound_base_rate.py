"""Bug: make_optimizers must give each key its own base_rates[key]; this answer builds the schedules from a lambda that closes over the loop variable, so every optimizer ends up with the base rate of the last key."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate",)


class _Decay(keras.optimizers.schedules.LearningRateSchedule):  # noqa: F821
    def __init__(self, fn):
        self.fn = fn

    def __call__(self, step):
        return self.fn(ops.cast(step, "float32"))  # noqa: F821


def make_optimizers(base_rates, decay_rate: float = 0.5, decay_steps: int = 100):
    optimizers = {}
    for name, rate in base_rates.items():
        optimizers[name] = keras.optimizers.SGD(  # noqa: F821
            _Decay(lambda step: rate * ops.power(decay_rate, step / decay_steps)))  # noqa: F821
    return optimizers
