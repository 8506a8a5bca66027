"""Bug: the text encoder maps each caption (one row) to its own vector; this one divides the summed token embeddings by the count of non-padding tokens in the whole batch, so a caption's vector depends on the other captions in the batch."""

import keras
from keras import layers, ops

from reference_copy import start_from_reference

start_from_reference("text_to_image_gan", globals())
CAUGHT_BY = ("test_text_encoder_encodes_each_caption_on_its_own",)


class _MaskedMean(layers.Layer):
    def call(self, embedded, tokens):
        mask = ops.cast(ops.not_equal(tokens, 0), embedded.dtype)[..., None]
        return ops.sum(embedded * mask, axis=1) / ops.maximum(ops.sum(mask), 1.0)


def build_text_encoder(vocab_size: int, dim: int = TEXT_DIM) -> keras.Model:  # noqa: F821
    tokens = keras.Input(shape=(None,), dtype="int32")
    embedded = layers.Embedding(vocab_size, dim)(tokens)
    pooled = _MaskedMean()(embedded, tokens)
    return keras.Model(tokens, layers.Dense(dim, activation="relu")(pooled), name="text_encoder")
