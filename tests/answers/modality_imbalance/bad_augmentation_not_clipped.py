"""Bug: the pixel noise is added after the shift but never clipped, so augmented pixels leave [0, 1]."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_returns_float32_images_in_range",)


def augment_images(images, seed=0, max_shift=1, noise_std=0.05):
    images = np.asarray(images, np.float32)
    rng = np.random.default_rng(seed)
    out = np.zeros_like(images)
    size_y, size_x = images.shape[1:3]
    for i, image in enumerate(images):
        dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
        out[i, max(dy, 0):size_y + min(dy, 0), max(dx, 0):size_x + min(dx, 0)] = \
            image[max(-dy, 0):size_y + min(-dy, 0), max(-dx, 0):size_x + min(-dx, 0)]
    return out + rng.normal(0.0, noise_std, out.shape).astype(np.float32)
