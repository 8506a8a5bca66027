"""Bug: train_step updates all trainable variables; this answer updates only the decoder (it leaves out the variables of the image-encoder sub-model, treating it as a frozen feature extractor)."""

from reference_copy import start_from_reference

start_from_reference("image_captioning", globals())
CAUGHT_BY = ("test_train_step_applies_one_update_of_the_teacher_forced_masked_loss",)


def train_step(captioner, optimizer, images, captions):
    images, captions = tf.convert_to_tensor(images, tf.float32), tf.convert_to_tensor(captions, tf.int32)
    inputs, targets = teacher_forcing(captions)
    encoder_ids = {id(v) for layer in captioner.layers if isinstance(layer, keras.Model) for v in layer.trainable_variables}
    decoder_vars = [v for v in captioner.trainable_variables if id(v) not in encoder_ids]
    with tf.GradientTape() as tape:
        loss = masked_loss(targets, captioner([images, inputs], training=True))
    grads = tape.gradient(loss, decoder_vars)
    optimizer.apply_gradients(zip(grads, decoder_vars))
    return loss
