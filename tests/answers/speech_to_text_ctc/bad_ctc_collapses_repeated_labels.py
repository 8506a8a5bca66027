"""Bug: tf.compat.v1.nn.ctc_loss is called with preprocess_collapse_repeated=True, so repeated labels
are merged before the loss: "five five" is trained as "five", and 5 _ 5 is scored as wrong."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("speech_to_text_ctc", globals())
CAUGHT_BY = ("test_ctc_loss_needs_a_blank_between_repeated_labels",)


def ctc_loss(labels, logits, logit_lengths):
    sparse_labels = tf.sparse.from_dense(tf.cast(labels, tf.int32))  # drops the PAD = 0 entries
    # the v1 loss takes the last class as the blank, which is BLANK here
    return tf.compat.v1.nn.ctc_loss(
        sparse_labels, tf.cast(logits, tf.float32), tf.cast(logit_lengths, tf.int32),
        preprocess_collapse_repeated=True, time_major=False,
    )
