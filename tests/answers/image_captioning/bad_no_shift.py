"""Bug: teacher forcing without the shift: the decoder reads the very tokens it must predict,
so it learns to copy its input and cannot caption anything from <start>."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = (
    "test_teacher_forcing_shifts_targets_by_one",
    "test_train_step_applies_one_update_of_the_teacher_forced_masked_loss",
    "test_captioner_learns_the_training_captions",
)


def teacher_forcing(captions):
    return captions, captions
