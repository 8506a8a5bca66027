"""Bug: image_targets max-pools each 4x4 block instead of averaging it."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_image_targets_average_4x4_blocks",)


def image_targets(images):
    images = ops.convert_to_tensor(images, dtype="float32")
    return ops.reshape(ops.max_pool(images, pool_size=4, strides=4, padding="valid"), (-1, FEATURE_DIM))  # noqa: F821
