"""Bug: train_step reports the losses recomputed after the optimizer update instead of the ones it took the gradient of."""

from keras import ops
from reference_copy import start_from_reference

start_from_reference("vq_tokenizer", globals())
CAUGHT_BY = ("test_train_step_applies_one_sgd_update_of_the_vq_vae_loss",)


def train_step(encoder, decoder, codebook, optimizer, images, beta: float = BETA) -> dict[str, float]:  # noqa: F821
    images = ops.convert_to_tensor(images, "float32")
    variables = encoder.trainable_variables + decoder.trainable_variables + [codebook]

    def losses():
        z = encoder(images, training=True)
        quantized, _ = quantize(z, codebook)  # noqa: F821
        reconstruction_loss = ops.mean(ops.square(decoder(straight_through(z, quantized), training=True) - images))  # noqa: F821
        codebook_loss, commitment_loss = vq_losses(z, quantized, beta)  # noqa: F821
        return reconstruction_loss + codebook_loss + commitment_loss, reconstruction_loss, codebook_loss, commitment_loss

    with tf.GradientTape() as tape:  # noqa: F821
        loss = losses()[0]
    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    loss, reconstruction_loss, codebook_loss, commitment_loss = losses()
    return {"loss": float(loss), "reconstruction": float(reconstruction_loss), "codebook": float(codebook_loss),
            "commitment": float(commitment_loss)}
