"""Bug: the augmentation flips images left-right, which contradicts captions that say "left" or "right"."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_keeps_the_caption_true", "test_augmentation_moves_each_image_by_a_zero_filled_shift_within_max_shift")


def augment_images(images, seed=0, max_shift=1, noise_std=0.05):
    images = np.asarray(images, np.float32)
    rng = np.random.default_rng(seed)
    flip = rng.random(len(images)) < 0.5
    out = np.where(flip[:, None, None, None], images[:, :, ::-1], images)
    return np.clip(out + rng.normal(0.0, noise_std, out.shape), 0.0, 1.0).astype(np.float32)
