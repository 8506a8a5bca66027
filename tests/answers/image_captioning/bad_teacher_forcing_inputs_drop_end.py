"""Bug: teacher_forcing inputs must be exactly captions[:, :-1]; this answer also blanks <end> out of the inputs (replacing it by PAD), thinking the decoder should never read <end>."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_teacher_forcing_matches_the_contract_on_many_batches", "test_teacher_forcing_shifts_targets_by_one")


def teacher_forcing(captions):
    captions = tf.convert_to_tensor(captions, tf.int32)
    inputs = tf.where(captions == END, tf.zeros_like(captions) + PAD, captions)
    return inputs[:, :-1], captions[:, 1:]
