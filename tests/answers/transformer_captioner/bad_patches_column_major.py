"""Bug: patch_tokens orders the squares column by column (token c * grid + r is the square in row r, column c) instead of row by row."""

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
    squares = ops.reshape(images, (-1, grid, patch, grid, patch))
    return ops.reshape(ops.transpose(squares, (0, 3, 1, 2, 4)), (-1, grid * grid, patch * patch))
