"""Bug: the loss is the symmetric mean of both cross-entropies and both must train the encoders; this answer computes
the text -> image term on stop_gradient(logits), so its value is right but only the image -> text direction gives
gradients."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_matches_the_contract_in_values_and_gradients",
    "test_train_step_applies_one_sgd_update_of_the_contrastive_loss",
)


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature
    return 0.5 * (_cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(ops.stop_gradient(logits))))
