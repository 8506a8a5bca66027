"""Bug: the cross-entropy is taken over each row (and each column); this answer's log-softmax normalises over the
whole n x n matrix (logsumexp without an axis)."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_is_log_n_when_all_similarities_are_equal",
    "test_contrastive_loss_matches_the_contract_in_values_and_gradients",
)


def _cross_entropy_on_diagonal(logits):
    log_probs = logits - ops.logsumexp(logits)
    return -ops.mean(ops.diagonal(log_probs))
