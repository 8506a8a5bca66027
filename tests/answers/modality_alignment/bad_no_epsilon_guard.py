"""Bug: l2_normalize must guard against a zero row with a small epsilon; this answer divides by the raw norm, so a
zero row becomes NaN."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_l2_normalize_maps_a_zero_row_to_zeros",)


def l2_normalize(x, epsilon: float = 1e-8):
    x = ops.convert_to_tensor(x, dtype="float32")
    return x / ops.sqrt(ops.sum(ops.square(x), axis=-1, keepdims=True))
