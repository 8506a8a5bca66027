"""Bug: fixed_weight_loss normalises the weights to sum to 1, which changes the effective learning rate of every task."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_fixed_weight_loss_is_the_weighted_sum",)


def fixed_weight_loss(losses, weights):
    total = sum(weights)
    return sum(w / total * loss for w, loss in zip(weights, losses))
