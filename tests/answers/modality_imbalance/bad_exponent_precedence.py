"""Bug: learning_rate_at must be base_rate * decay_rate ** (step / decay_steps); this answer writes base_rate * decay_rate ** step / decay_steps, so the power binds first and the rate is divided by decay_steps."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_schedule_gives_the_expected_rates", "test_schedule_matches_the_contract_on_varied_arguments")


def learning_rate_at(step, base_rate, decay_rate, decay_steps):
    return float(base_rate) * float(decay_rate) ** float(step) / float(decay_steps)
