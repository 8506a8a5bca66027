"""Bug: image_targets must flatten the 7x7 grid of 4x4 block means row by row; this answer flattens it column by column (transposed grid)."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_image_targets_average_4x4_blocks", "test_image_targets_match_the_contract_in_values_and_gradients")


def image_targets(images):
    images = ops.convert_to_tensor(images, dtype="float32")
    pooled = ops.average_pool(images, pool_size=4, strides=4, padding="valid")  # (batch, 7, 7, 1)
    return ops.reshape(ops.transpose(pooled, (0, 2, 1, 3)), (-1, FEATURE_DIM))
