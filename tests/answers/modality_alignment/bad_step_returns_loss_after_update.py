"""Bug: train_step recomputes the loss after applying the gradients and returns that, not the loss of the step."""

import tensorflow as tf

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_contrastive_loss",)


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature=0.1):
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True), temperature)  # noqa: F821
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True), temperature)  # noqa: F821
