"""Bug: logits = similarity_matrix / temperature; this answer divides the image embeddings by the temperature before
the (normalising) similarity, so the temperature has no effect."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_temperature_divides_the_similarities", "test_contrastive_loss_matches_the_contract_in_values_and_gradients")


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    image_embeddings = ops.convert_to_tensor(image_embeddings, dtype="float32") / temperature
    logits = similarity_matrix(image_embeddings, text_embeddings)
    return 0.5 * (_cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(logits)))
