"""Bug: train_step takes the contrastive loss at the temperature it is given; this answer drops the argument, so the
step always uses the default temperature."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_contrastive_loss",)


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
