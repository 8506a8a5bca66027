"""Bug: fixed_weight_loss is sum_i weights[i] * losses[i] over all tasks; this answer hard-codes two tasks, so a third loss is dropped."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_fixed_weight_loss_matches_the_contract_for_any_number_of_tasks",)


def fixed_weight_loss(losses, weights):
    first = float(weights[0]) * ops.convert_to_tensor(losses[0], dtype="float32")
    return first + float(weights[1]) * ops.convert_to_tensor(losses[1], dtype="float32")
