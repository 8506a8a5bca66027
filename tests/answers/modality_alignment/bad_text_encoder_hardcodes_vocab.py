"""Bug: build_text_encoder(vocab_size, ...) must take token ids below vocab_size; this answer sizes its Embedding from
the toy vocabulary, so larger vocabularies break."""

from reference_copy import start_from_reference

start_from_reference("modality_alignment", globals())
CAUGHT_BY = ("test_text_encoder_accepts_every_id_below_vocab_size",)


from mmgen.toy_data import VOCAB_SIZE as _TOY_VOCAB  # noqa: E402


def build_text_encoder(vocab_size: int, embed_dim: int = EMBED_DIM) -> keras.Model:
    tokens = keras.Input(shape=(6,), dtype="int32")
    x = layers.Flatten()(layers.Embedding(_TOY_VOCAB, 16)(tokens))
    x = layers.Dense(64, activation="relu")(x)
    return keras.Model(tokens, layers.Dense(embed_dim)(x), name="text_encoder")
