"""Bug: the blank is class BLANK = VOCAB_SIZE, the last class; this one passes mask_index=VOCAB_SIZE - 1 (the last word)."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_ctc_loss_is_near_zero_for_a_sharp_correct_path', 'test_ctc_loss_matches_the_reference_on_random_logits')


def ctc_loss(labels, logits, logit_lengths):
    labels = ops.cast(labels, "int32")  # noqa: F821
    label_lengths = ops.sum(ops.cast(ops.not_equal(labels, PAD), "int32"), axis=-1)  # noqa: F821
    return ops.ctc_loss(labels, logits, label_lengths, ops.cast(logit_lengths, "int32"), mask_index=VOCAB_SIZE - 1)  # noqa: F821
