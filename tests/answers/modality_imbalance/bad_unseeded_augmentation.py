"""Bug: augment_images draws its shifts and noise from NumPy's global generator and ignores seed, so the same call
gives different images every time."""

import numpy as np

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_is_deterministic_for_a_seed",)


def augment_images(images, seed=0, max_shift=1, noise_std=0.05):
    images = np.asarray(images, np.float32)
    out = np.zeros_like(images)
    size_y, size_x = images.shape[1:3]
    for i, image in enumerate(images):
        dy, dx = np.random.randint(-max_shift, max_shift + 1, size=2)
        out[i, max(dy, 0):size_y + min(dy, 0), max(dx, 0):size_x + min(dx, 0)] = \
            image[max(-dy, 0):size_y + min(-dy, 0), max(-dx, 0):size_x + min(-dx, 0)]
    out += np.random.normal(0.0, noise_std, out.shape).astype(np.float32)
    return np.clip(out, 0.0, 1.0)
