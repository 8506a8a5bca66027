"""Bug: teacher_forcing must return both halves as int32; this answer casts the captions to int64 ("token ids are int64 in TF") before slicing, so inputs and targets come back int64."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_teacher_forcing_matches_the_contract_on_many_batches",)


def teacher_forcing(captions):
    captions = tf.cast(tf.convert_to_tensor(captions), tf.int64)
    return captions[:, :-1], captions[:, 1:]
