"""Bug: build_captioner slices the text positions table from the end (table[-t:]) instead of the start, so a token's position vector depends on how long the prefix is and decoding one token at a time sees different positions than training."""

import keras
from keras import layers, ops
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_captioner_is_causal_and_sees_the_image",)


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:  # noqa: F821
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""

    class EndAlignedPositions(layers.Layer):
        def __init__(self, length, width, **kwargs):
            super().__init__(**kwargs)
            self.length = length
            self.table = self.add_weight(shape=(length, width), initializer="random_normal", name="positions")

        def call(self, x):
            return x + self.table[None, self.length - ops.shape(x)[1] :]

    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    patches = layers.Lambda(patch_tokens)(images)  # noqa: F821
    image_tokens = _Positions((28 // PATCH) ** 2, dim)(layers.Dense(dim)(patches))  # noqa: F821
    text = EndAlignedPositions(MAX_LEN, dim)(layers.Embedding(vocab_size, dim)(tokens))  # noqa: F821
    hidden = DecoderBlock(dim, heads, ff_dim)(text, image_tokens)  # noqa: F821
    return keras.Model([images, tokens], layers.Dense(vocab_size)(hidden), name="transformer_captioner")
