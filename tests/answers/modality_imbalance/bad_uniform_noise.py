"""Bug: augment_images must add Gaussian noise of std noise_std; this answer adds uniform noise in [-noise_std, noise_std] (std noise_std / sqrt(3), bounded tails)."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_noise_is_gaussian_with_std_noise_std",)


def augment_images(images, seed: int = 0, max_shift: int = 1, noise_std: float = 0.05):
    images = np.asarray(images, np.float32)  # noqa: F821
    rng = np.random.default_rng(seed)  # noqa: F821
    out = np.zeros_like(images)  # noqa: F821
    size_y, size_x = images.shape[1:3]
    for i, image in enumerate(images):
        dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
        out[i, max(dy, 0):size_y + min(dy, 0), max(dx, 0):size_x + min(dx, 0)] = \
            image[max(-dy, 0):size_y + min(-dy, 0), max(-dx, 0):size_x + min(-dx, 0)]
    out += rng.uniform(-noise_std, noise_std, out.shape).astype(np.float32)  # noqa: F821
    return np.clip(out, 0.0, 1.0)  # noqa: F821
