"""Bug: build_captioner ends with a softmax Dense, so it returns probabilities rather than logits and the from_logits loss is computed on probabilities."""

import keras
from keras import layers
from reference_copy import start_from_reference

start_from_reference("transformer_captioner", globals())
CAUGHT_BY = ("test_captioner_returns_logits_for_every_position",)


def build_captioner(vocab_size: int, dim: int = DIM, heads: int = HEADS, ff_dim: int = FF_DIM) -> keras.Model:  # noqa: F821
    """[images, tokens] -> next-token logits, through decoder blocks that cross-attend to patch tokens."""
    images = keras.Input(shape=(28, 28, 1))
    tokens = keras.Input(shape=(None,), dtype="int32")
    patches = layers.Lambda(patch_tokens)(images)  # noqa: F821
    image_tokens = _Positions((28 // PATCH) ** 2, dim)(layers.Dense(dim)(patches))  # noqa: F821
    text = _Positions(MAX_LEN, dim)(layers.Embedding(vocab_size, dim)(tokens))  # noqa: F821
    hidden = DecoderBlock(dim, heads, ff_dim)(text, image_tokens)  # noqa: F821
    return keras.Model([images, tokens], layers.Dense(vocab_size, activation="softmax")(hidden), name="transformer_captioner")
