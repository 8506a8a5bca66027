"""Bug: train_step returns the loss before the update; this answer applies the gradients and then recomputes and returns the loss of the updated model."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_train_step_applies_one_update_of_the_teacher_forced_masked_loss",)


def train_step(captioner, optimizer, images, captions):
    images, captions = tf.convert_to_tensor(images, tf.float32), tf.convert_to_tensor(captions, tf.int32)
    inputs, targets = teacher_forcing(captions)
    with tf.GradientTape() as tape:
        loss = masked_loss(targets, captioner([images, inputs], training=True))
    grads = tape.gradient(loss, captioner.trainable_variables)
    optimizer.apply_gradients(zip(grads, captioner.trainable_variables))
    return masked_loss(targets, captioner([images, inputs], training=False))
