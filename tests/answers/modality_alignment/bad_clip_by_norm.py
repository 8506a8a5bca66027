"""Bug: l2_normalize must give every row norm 1; this answer uses tf.clip_by_norm, which only shrinks rows longer than
1 and leaves short rows as they are."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_l2_normalize_gives_unit_rows", "test_l2_normalize_matches_the_contract_in_values_and_gradients")


def l2_normalize(x, epsilon: float = 1e-8):
    x = ops.convert_to_tensor(x, dtype="float32")
    return tf.clip_by_norm(x, 1.0, axes=[-1])
