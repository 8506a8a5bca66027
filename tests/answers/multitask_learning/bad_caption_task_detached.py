"""Bug: the image->caption branch stops the gradient at the shared encoder, so only the text task trains it."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("multitask_learning", globals())
CAUGHT_BY = ("test_each_task_alone_sends_gradients_to_the_shared_encoder",)
_Reference = MultiTaskModel  # noqa: F821


class MultiTaskModel(_Reference):
    def caption_logits_from_image(self, images, training=False):
        shared = self.shared(self.image_stem(images, training=training), training=training)
        return self.caption_head(tf.stop_gradient(shared), training=training)
