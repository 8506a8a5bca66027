"""Bug: the similarities are multiplied by the temperature instead of divided by it, which flattens the softmax."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_contrastive_loss_matches_a_hand_computed_case", "test_temperature_divides_the_similarities")


def contrastive_loss(image_embeddings, text_embeddings, temperature=0.1):
    logits = similarity_matrix(image_embeddings, text_embeddings) * temperature  # noqa: F821
    return 0.5 * (_cross_entropy_on_diagonal(logits) + _cross_entropy_on_diagonal(ops.transpose(logits)))  # noqa: F821
