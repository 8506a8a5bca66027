"""Bug: the logit lengths are replaced by the padded number of frames, so frames past the end of a
shorter clip are scored as speech."""

from keras import ops

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_ctc_loss_matches_the_reference_on_random_logits",)


def ctc_loss(labels, logits, logit_lengths):
    labels = ops.cast(labels, "int32")
    label_lengths = ops.sum(ops.cast(ops.not_equal(labels, 0), "int32"), axis=-1)
    frames = ops.full((ops.shape(logits)[0],), ops.shape(logits)[1], dtype="int32")
    return ops.ctc_loss(labels, logits, label_lengths, frames, mask_index=BLANK)  # noqa: F821
