"""Bug: image_targets is the mean of each 4x4 block; this answer downsizes with bilinear tf.image.resize, which samples a few pixels instead of averaging the block."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_image_targets_match_the_contract_in_values_and_gradients",)


def image_targets(images):
    images = ops.convert_to_tensor(images, dtype="float32")
    small = tf.image.resize(images, (7, 7), method="bilinear")
    return ops.reshape(small, (-1, FEATURE_DIM))
