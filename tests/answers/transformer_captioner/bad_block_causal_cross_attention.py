"""Bug: the decoder block puts the causal mask on the cross-attention too, so text position i only sees image patches 0..i instead of the whole image."""

import keras
from keras import layers
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_captioner_is_causal_and_sees_the_image",)


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.feed_forward = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(dim)])
        self.norms = [layers.LayerNormalization() for _ in range(3)]

    def call(self, x, image_tokens, training=None):
        x = self.norms[0](x + self.self_attention(x, x, use_causal_mask=True, training=training))
        x = self.norms[1](x + self.cross_attention(x, image_tokens, use_causal_mask=True, training=training))
        return self.norms[2](x + self.feed_forward(x, training=training))
