"""Bug: both tasks must pass through the one shared encoder (image -> image stem -> shared -> caption_head); this answer gives the image path its own private copy of the shared encoder, so .shared is trained by the text task only."""

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_each_task_alone_sends_gradients_to_the_shared_encoder",)


_ReferenceModel = MultiTaskModel  # noqa: F821


class MultiTaskModel(_ReferenceModel):
    def __init__(self, vocab_size: int, dim: int = HIDDEN, **kwargs):
        super().__init__(vocab_size, dim, **kwargs)
        self.image_shared = keras.Sequential(
            [keras.Input((dim,)), layers.Dense(dim, activation="relu"), layers.Dense(dim, activation="relu")],
            name="image_shared")

    def caption_logits_from_image(self, images, training=False):
        hidden = self.image_shared(self.image_stem(images, training=training), training=training)
        return self.caption_head(hidden, training=training)
