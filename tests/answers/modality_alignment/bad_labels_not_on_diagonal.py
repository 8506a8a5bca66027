"""Bug: copied from a classifier, the targets are class 0 for every row instead of each row's own index."""

import keras
from keras import ops

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = (
    "test_contrastive_loss_matches_a_hand_computed_case",
    "test_contrastive_loss_is_unchanged_by_permuting_both_batches",
    "test_contrastive_loss_rises_when_only_one_side_is_permuted",
)


def contrastive_loss(image_embeddings, text_embeddings, temperature=0.1):
    logits = similarity_matrix(image_embeddings, text_embeddings) / temperature  # noqa: F821
    labels = ops.zeros((ops.shape(logits)[0],), dtype="int32")
    ce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    return 0.5 * (ce(labels, logits) + ce(labels, ops.transpose(logits)))
