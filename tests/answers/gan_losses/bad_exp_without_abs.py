"""Bug: sigmoid_cross_entropy must stay finite for |logits| = 100; this answer writes max(x, 0) - x*y + log1p(exp(-x)) (forgot the abs), which is wrong by -x for every negative logit and overflows to inf at x = -100."""

from reference_copy import start_from_reference

start_from_reference("gan_losses", globals())
CAUGHT_BY = ("test_cross_entropy_is_finite_for_logits_of_100", "test_cross_entropy_matches_hand_values")

from keras import ops  # noqa: E402


def sigmoid_cross_entropy(logits, targets):
    logits = ops.convert_to_tensor(logits, dtype="float32")
    targets = ops.convert_to_tensor(targets, dtype="float32")
    return ops.maximum(logits, 0.0) - logits * targets + ops.log1p(ops.exp(-logits))
