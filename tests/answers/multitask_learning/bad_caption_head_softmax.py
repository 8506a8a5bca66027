"""Bug: caption_logits_from_image must return logits; this answer's caption head ends in a softmax, so it returns probabilities (and the loss applies softmax twice)."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_caption_head_returns_logits_not_probabilities", "test_task_losses_match_their_formulas")


_ReferenceModel = MultiTaskModel  # noqa: F821


class MultiTaskModel(_ReferenceModel):
    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(vocab_size, dim, **kwargs)
        self.caption_head = keras.Sequential(
            [keras.Input((dim,)), layers.Dense(CAPTION_LENGTH * vocab_size),
             layers.Reshape((CAPTION_LENGTH, vocab_size)), layers.Softmax(axis=-1)],
            name="caption_head")
