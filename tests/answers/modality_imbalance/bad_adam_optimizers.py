"""Bug: make_optimizers must return one SGD optimizer per key (an update exactly rate * gradient); this answer returns Adam optimizers with the right schedules, whose updates are normalised and ignore the gradient scale."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_make_optimizers_take_plain_sgd_steps_at_each_decayed_rate",)


def make_optimizers(base_rates, decay_rate: float = 0.5, decay_steps: int = 100):
    return {name: keras.optimizers.Adam(  # noqa: F821
        keras.optimizers.schedules.ExponentialDecay(rate, decay_steps, decay_rate))  # noqa: F821
        for name, rate in base_rates.items()}
