"""Bug: the decoder block builds its own attention mask with the PyTorch convention (True = blocked, j > i) and passes it to Keras, where True means allowed, so each position attends only to later tokens."""

import keras
from keras import layers, ops
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_captioner_is_causal_and_sees_the_image", "test_decoder_block_is_causal_in_its_input")


class DecoderBlock(layers.Layer):
    """Causal self-attention, cross-attention to the image tokens and feed-forward, each with a residual and a norm."""

    def __init__(self, dim: int, heads: int, ff_dim: int, **kwargs):
        super().__init__(**kwargs)
        self.self_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.cross_attention = layers.MultiHeadAttention(heads, dim // heads)
        self.feed_forward = keras.Sequential([layers.Dense(ff_dim, activation="relu"), layers.Dense(dim)])
        self.norms = [layers.LayerNormalization() for _ in range(3)]

    def call(self, x, image_tokens, training=None):
        t = ops.shape(x)[1]
        blocked = ops.arange(t)[:, None] < ops.arange(t)[None, :]
        x = self.norms[0](x + self.self_attention(x, x, attention_mask=blocked[None], training=training))
        x = self.norms[1](x + self.cross_attention(x, image_tokens, training=training))
        return self.norms[2](x + self.feed_forward(x, training=training))
