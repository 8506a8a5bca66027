"""Bug: patch_tokens reshapes the image straight into (grid², patch²) without moving the patch axes together, so each token is a run of 16 pixels along a row (a strip), not a 4x4 square."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = (
    "test_patch_tokens_lists_squares_row_by_row",
    "test_patch_tokens_match_the_contract_in_values_and_gradients",
)


def patch_tokens(images, patch: int = PATCH):  # noqa: F821
    """Non-overlapping patch x patch squares of each image, one token per square, row by row."""
    images = ops.convert_to_tensor(images, "float32")
    grid = 28 // patch
    return ops.reshape(images, (-1, grid * grid, patch * patch))
