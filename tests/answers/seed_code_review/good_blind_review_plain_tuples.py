"""Sound alternative (a blind review, by reading only): plain (program, line, category, fix) tuples from a table,
sorted by category; quotes the activation line for the GAN's tanh-versus-data range mistake."""

from __future__ import annotations

from typing import NamedTuple

PROGRAMS = ("text_to_image_gan", "image_captioning", "text_to_audio")

CATEGORIES = {
    "condition-ignored": "a model never uses an input it should depend on (the caption, or the image's encoding)",
    "undefined-name": "a name is used that is never defined or imported",
    "wrong-variables-trained": "a step differentiates or updates another network's variables than the ones it should",
    "shape-mismatch": "a layer or reshape produces a shape or layout other than what comes next expects",
    "activation-mismatch": "an output activation that fits neither its loss nor the range of the data it is compared with",
    "targets-unrelated-to-inputs": "training pairs whose parts (image, caption, audio) do not belong together",
    "no-teacher-forcing-shift": "a sequence model's inputs are not its targets shifted one step to the right",
    "leakage": "held-out data is used in training or in preprocessing that training relies on",
    "metric-on-training-data": "a metric reported as held-out is computed on training data",
}

MAX_FINDINGS = 40


class Finding(NamedTuple):
    """One mistake: where it is, what kind it is, and how to fix it."""

    program: str
    line: int
    category: str
    fix: str


_GAN, _CAP, _TTA = PROGRAMS

# (program, line, category, fix), in no particular order; review() sorts them.
_TABLE = (
    # text_to_image_gan.py
    (_GAN, 31, "condition-ignored",
     "feed the caption features to the generator: x = Dense(7 * 7 * 64, activation='relu')(Concatenate()([z_in, t]))"),
    (_GAN, 33, "undefined-name",
     "import Conv2DTranspose from tensorflow.keras.layers (used on lines 33-34, missing from the import on line 10)"),
    (_GAN, 32, "shape-mismatch",
     "reshape to (7, 7, 64) so the two stride-2 transposed convs give 28x28, not 56x56 that the discriminator cannot take"),
    (_GAN, 34, "activation-mismatch",
     "use a sigmoid output (or rescale the real images to [-1, 1]): tanh images in [-1, 1] are compared with real images in [0, 1]"),
    (_GAN, 45, "activation-mismatch",
     "drop the sigmoid so the discriminator outputs logits, as BinaryCrossentropy(from_logits=True) expects"),
    (_GAN, 64, "targets-unrelated-to-inputs",
     "use the real images' own captions: captions = tf.constant(data.captions[idx]) instead of random tokens"),
    (_GAN, 76, "wrong-variables-trained",
     "differentiate and update only generator.trainable_variables in the generator step (gan's variables include the discriminator's)"),
    # image_captioning.py
    (_CAP, 24, "shape-mismatch",
     "a GRU needs a 3-D sequence, not the flattened 2-D vector: use Dense(UNITS, activation='relu')(x) for the image encoding"),
    (_CAP, 32, "undefined-name",
     "import Embedding from tensorflow.keras.layers"),
    (_CAP, 33, "condition-ignored",
     "condition the decoder on the image: x = GRU(UNITS, return_sequences=True)(e, initial_state=h)"),
    (_CAP, 34, "activation-mismatch",
     "drop the softmax so the Dense layer outputs logits, as SparseCategoricalCrossentropy(from_logits=True) expects"),
    (_CAP, 44, "leakage",
     "take validation from the samples after the training ones: data.images[512:], data.captions[512:] (rows 384-511 are also in training)"),
    (_CAP, 50, "no-teacher-forcing-shift",
     "shift the targets: inputs, targets = captions[:, :-1], captions[:, 1:]"),
    (_CAP, 63, "metric-on-training-data",
     "compute the val accuracy from val_logits, val_targets and val_weights, not the last training batch's logits/targets/weights"),
    # text_to_audio.py
    (_TTA, 33, "activation-mismatch",
     "use a tanh (or linear) output: sigmoid frames in [0, 1] cannot match audio in [-1, 1]"),
    (_TTA, 44, "shape-mismatch",
     "split each clip into its word slots: audio.reshape(-1, MAX_WORDS, TONE_SAMPLES) without the transpose"),
    (_TTA, 49, "leakage",
     "compute the normalising peak from the training audio: peak = np.abs(train.audio).max()"),
    (_TTA, 51, "targets-unrelated-to-inputs",
     "use the training clips' own words: train_words = word_ids(train.captions)"),
    (_TTA, 52, "undefined-name",
     "import word_ids from mmgen.toy_data"),
    (_TTA, 63, "no-teacher-forcing-shift",
     "feed the previous frames: prev = np.concatenate([np.zeros_like(target[:, :1]), target[:, :-1]], axis=1)"),
    (_TTA, 68, "wrong-variables-trained",
     "differentiate and update tts.trainable_variables (the whole model), not just the text encoder's"),
    (_TTA, 72, "metric-on-training-data",
     "evaluate on the held-out set: eval_words, eval_audio = test_words, test_audio"),
)

_CATEGORY_ORDER = {name: rank for rank, name in enumerate(CATEGORIES)}
_PROGRAM_ORDER = {name: rank for rank, name in enumerate(PROGRAMS)}


def review() -> list[tuple[str, int, str, str]]:
    """The findings of this review as plain (program, line, category, fix) tuples, ordered by category."""
    return sorted(
        (tuple(row) for row in _TABLE),
        key=lambda row: (_CATEGORY_ORDER[row[2]], _PROGRAM_ORDER[row[0]], row[1]),
    )
