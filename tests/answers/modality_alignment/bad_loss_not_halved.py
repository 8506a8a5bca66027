"""Bug: the loss is 0.5 * (CE(logits, diag) + CE(logits^T, diag)); this answer returns the plain sum of the two
directions (twice the contract value)."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_is_log_n_when_all_similarities_are_equal",
    "test_contrastive_loss_matches_the_contract_in_values_and_gradients",
)


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature
    return _cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(logits))
