"""Bug: the similarity is a raw dot product; the embeddings are never L2-normalised, so the loss depends on their scale."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_similarity_matrix_is_cosine_similarity",
    "test_contrastive_loss_matches_a_hand_computed_case",
    "test_contrastive_loss_ignores_the_scale_of_the_embeddings",
)


def similarity_matrix(image_embeddings, text_embeddings):
    return ops.matmul(ops.convert_to_tensor(image_embeddings), ops.transpose(ops.convert_to_tensor(text_embeddings)))
