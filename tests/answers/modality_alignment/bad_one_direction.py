"""Bug: only the image->text cross-entropy (over rows) is computed; the text->image direction is missing."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_contrastive_loss_matches_a_hand_computed_case", "test_contrastive_loss_is_symmetric_in_its_inputs")


def contrastive_loss(image_embeddings, text_embeddings, temperature=0.1):
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature  # noqa: F821
    return _cross_entropy_on_diagonal(logits)  # noqa: F821
