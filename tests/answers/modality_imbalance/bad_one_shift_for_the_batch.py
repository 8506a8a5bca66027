"""Bug: augment_images must move each image by its own random offset; this answer draws a single (dy, dx) for the whole batch and shifts every image by it."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_draws_every_offset_in_range_for_each_image",)


def augment_images(images, seed: int = 0, max_shift: int = 1, noise_std: float = 0.05):
    images = np.asarray(images, np.float32)  # noqa: F821
    rng = np.random.default_rng(seed)  # noqa: F821
    out = np.zeros_like(images)  # noqa: F821
    size_y, size_x = images.shape[1:3]
    dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
    out[:, max(dy, 0):size_y + min(dy, 0), max(dx, 0):size_x + min(dx, 0)] = \
        images[:, max(-dy, 0):size_y + min(-dy, 0), max(-dx, 0):size_x + min(-dx, 0)]
    out += rng.normal(0.0, noise_std, out.shape).astype(np.float32)  # noqa: F821
    return np.clip(out, 0.0, 1.0)  # noqa: F821
