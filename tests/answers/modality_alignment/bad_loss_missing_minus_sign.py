"""Bug: the cross-entropy is written as +mean(log p(own match)), without the minus sign, so minimising it pushes
matching images and captions apart."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_is_log_n_when_all_similarities_are_equal",
    "test_contrastive_loss_matches_the_contract_in_values_and_gradients",
    "test_train_step_applies_one_sgd_update_of_the_contrastive_loss",
    "test_training_aligns_images_with_their_captions",
)


def _cross_entropy_on_diagonal(logits):
    return ops.mean(ops.diagonal(logits - ops.logsumexp(logits, axis=-1, keepdims=True)))
