"""Bug: l2_normalize takes the norm over axis 0, so each feature column of the batch has unit length, not each row."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_l2_normalize_gives_unit_rows",
    "test_similarity_matrix_is_cosine_similarity",
    "test_contrastive_loss_matches_a_hand_computed_case",
)


def l2_normalize(x, epsilon=1e-8):
    x = ops.convert_to_tensor(x, dtype="float32")
    return x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=0, keepdims=True), epsilon))
