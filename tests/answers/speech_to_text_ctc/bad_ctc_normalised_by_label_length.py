"""Bug: ctc_loss is the CTC negative log-likelihood of each example; this one divides it by the label length (a per-token loss)."""

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ('test_ctc_loss_matches_the_reference_on_random_logits', 'test_train_step_applies_one_update_of_the_mean_ctc_loss')


def ctc_loss(labels, logits, logit_lengths):
    labels = ops.cast(labels, "int32")  # noqa: F821
    label_lengths = ops.sum(ops.cast(ops.not_equal(labels, PAD), "int32"), axis=-1)  # noqa: F821
    nll = ops.ctc_loss(labels, logits, label_lengths, ops.cast(logit_lengths, "int32"), mask_index=BLANK)  # noqa: F821
    return nll / ops.maximum(ops.cast(label_lengths, "float32"), 1.0)  # noqa: F821
