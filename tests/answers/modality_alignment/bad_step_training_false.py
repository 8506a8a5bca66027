"""Bug: train_step must call the encoders with training=True; this answer calls them in inference mode, so
dropout/batch-norm encoders train wrongly."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_train_step_calls_the_encoders_with_training_true",)


def train_step(image_encoder, text_encoder, optimizer, images, captions, temperature: float = TEMPERATURE):
    variables = image_encoder.trainable_variables + text_encoder.trainable_variables
    with tf.GradientTape() as tape:
        loss = contrastive_loss(image_encoder(images), text_encoder(captions), temperature)
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    return loss
