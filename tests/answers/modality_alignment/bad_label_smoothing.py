"""Bug: the targets are the diagonal (hard one-hot cross-entropy); this answer uses keras cross-entropy with
label_smoothing=0.1."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_matches_a_hand_computed_case",
    "test_contrastive_loss_matches_the_contract_in_values_and_gradients",
)


def _cross_entropy_on_diagonal(logits):
    n = ops.shape(logits)[0]
    targets = ops.eye(n, dtype="float32")
    return ops.mean(keras.losses.categorical_crossentropy(targets, logits, from_logits=True, label_smoothing=0.1))
