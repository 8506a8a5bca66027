"""Bug: image_targets is the mean of each 4x4 block; this answer returns the sum of each block (16 times the mean)."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_image_targets_average_4x4_blocks", "test_image_targets_match_the_contract_in_values_and_gradients")


def image_targets(images):
    images = ops.convert_to_tensor(images, dtype="float32")
    blocks = ops.reshape(images, (-1, 7, 4, 7, 4))
    return ops.reshape(ops.sum(blocks, axis=(2, 4)), (-1, FEATURE_DIM))
