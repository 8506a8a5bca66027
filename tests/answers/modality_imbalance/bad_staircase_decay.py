"""Bug: the decay is a staircase (integer division of the step), not the smooth schedule asked for."""

import keras

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_schedule_gives_the_expected_rates", "test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate")


def learning_rate_at(step, base_rate, decay_rate, decay_steps):
    return base_rate * decay_rate ** (step // decay_steps)


def make_optimizers(base_rates, decay_rate=0.5, decay_steps=100):
    return {
        name: keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(rate, decay_steps, decay_rate, staircase=True))
        for name, rate in base_rates.items()
    }
