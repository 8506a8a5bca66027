"""Bug: augment_images must leave vacated pixels at 0 after a shift; this answer uses np.roll, so the pixels pushed off one edge wrap round onto the opposite edge."""

from reference_copy import start_from_reference

start_from_reference("modality_imbalance", globals())
CAUGHT_BY = ("test_augmentation_moves_each_image_by_a_zero_filled_shift_within_max_shift",)


def augment_images(images, seed: int = 0, max_shift: int = 1, noise_std: float = 0.05):
    images = np.asarray(images, np.float32)  # noqa: F821
    rng = np.random.default_rng(seed)  # noqa: F821
    out = np.zeros_like(images)  # noqa: F821
    for i, image in enumerate(images):
        dy, dx = rng.integers(-max_shift, max_shift + 1, size=2)
        out[i] = np.roll(image, (int(dy), int(dx)), axis=(0, 1))  # noqa: F821
    out += rng.normal(0.0, noise_std, out.shape).astype(np.float32)  # noqa: F821
    return np.clip(out, 0.0, 1.0)  # noqa: F821
