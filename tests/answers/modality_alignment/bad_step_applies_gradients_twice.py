"""Bug: train_step does one optimizer step; this answer applies the same gradients twice."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_contrastive_loss",)


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images, training=True), text_encoder(captions, training=True), temperature)
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    optimizer.apply_gradients(zip(grads, variables))
    return loss
