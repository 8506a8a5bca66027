"""Bug: similarity_matrix must normalise both embeddings inside (cosine, scale-free); this answer normalises only the
image rows, so the text scale leaks into the scores."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_similarity_matrix_is_cosine_similarity", "test_similarity_matrix_matches_the_contract_in_values_and_gradients")


def similarity_matrix(image_embeddings, text_embeddings):
    text = ops.convert_to_tensor(text_embeddings, dtype="float32")
    return ops.matmul(l2_normalize(image_embeddings), ops.transpose(text))
