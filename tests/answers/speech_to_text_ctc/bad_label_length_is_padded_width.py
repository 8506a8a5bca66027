"""Bug: every label length is the padded width, so the padding ids count as words to be said."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = (
    "test_ctc_loss_is_near_zero_for_a_sharp_correct_path",
    "test_ctc_loss_matches_a_hand_computed_value",
    "test_train_step_applies_one_update_of_the_mean_ctc_loss",
)


def ctc_loss(labels, logits, logit_lengths):
    labels = ops.cast(labels, "int32")
    label_lengths = ops.full((ops.shape(labels)[0],), ops.shape(labels)[1], dtype="int32")
    return ops.ctc_loss(labels, logits, label_lengths, ops.cast(logit_lengths, "int32"), mask_index=BLANK)  # noqa: F821
