"""Bug: logits = similarity / temperature for the temperature passed in; this answer always divides by the module
constant TEMPERATURE, so any other temperature is ignored."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_temperature_divides_the_similarities", "test_contrastive_loss_matches_the_contract_in_values_and_gradients")


def contrastive_loss(image_embeddings, text_embeddings, temperature: float = TEMPERATURE):
    logits = similarity_matrix(image_embeddings, text_embeddings) / TEMPERATURE
    return 0.5 * (_cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(logits)))
