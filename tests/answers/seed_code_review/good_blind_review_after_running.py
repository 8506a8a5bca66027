"""Sound alternative (a blind review, after running the scripts and fixed copies of them): quotes the first use of
an undefined name and the activation lines; a literal list of Finding."""

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


def review() -> list[Finding]:
    """The findings of your review of the three scripts."""
    gan, cap, tts = PROGRAMS
    return [
        # text_to_image_gan.py
        Finding(gan, 33, "undefined-name", "Conv2DTranspose is never imported: add it to the keras.layers import on line 10."),
        Finding(gan, 31, "condition-ignored", "The caption features t are never used: feed Concatenate()([z_in, t]) into the Dense instead of z_in alone."),
        Finding(gan, 32, "shape-mismatch", "Reshape to (7, 7, 64), not (14, 14, 16): two stride-2 transposed convs from 14x14 give 56x56, not 28x28."),
        Finding(gan, 34, "activation-mismatch", "Real images are in [0, 1]: use a sigmoid output (or rescale the data to [-1, 1]) instead of tanh."),
        Finding(gan, 45, "activation-mismatch", "The discriminator's sigmoid output is fed to BinaryCrossentropy(from_logits=True): drop the sigmoid and output logits."),
        Finding(gan, 64, "targets-unrelated-to-inputs", "Use the real captions of the sampled images, captions = tf.constant(data.captions[idx]), not random tokens."),
        Finding(gan, 76, "wrong-variables-trained", "gan.trainable_variables includes the discriminator: differentiate and apply g_loss to generator.trainable_variables only."),
        # image_captioning.py
        Finding(cap, 32, "undefined-name", "Embedding is never imported: add it to the keras.layers import on line 10."),
        Finding(cap, 24, "shape-mismatch", "A GRU needs a 3-D sequence but Flatten gives (batch, 2304): use Dense(UNITS) to get the image vector."),
        Finding(cap, 33, "condition-ignored", "The image encoding h is never used: start the decoder from it, GRU(...)(e, initial_state=h)."),
        Finding(cap, 34, "activation-mismatch", "The loss uses from_logits=True but the Dense has a softmax: drop the softmax so the model outputs logits."),
        Finding(cap, 44, "leakage", "data[-256:] overlaps the training slice [:512] (rows 384-511): take validation from data.images[512:], data.captions[512:]."),
        Finding(cap, 50, "no-teacher-forcing-shift", "Targets must be the inputs shifted by one: targets = captions[:, 1:], not captions[:, :-1]."),
        Finding(cap, 63, "metric-on-training-data", "The 'val' accuracy uses the last training batch: compute pred from val_logits and compare with val_targets weighted by val_weights."),
        # text_to_audio.py
        Finding(tts, 52, "undefined-name", "word_ids is never imported: add it to the mmgen.toy_data import on line 14."),
        Finding(tts, 33, "activation-mismatch", "Audio lies in [-1, 1] but a sigmoid only outputs (0, 1): use tanh (or a linear output)."),
        Finding(tts, 44, "shape-mismatch", "Frames are consecutive 256-sample slots: reshape(-1, MAX_WORDS, TONE_SAMPLES) with no transpose."),
        Finding(tts, 49, "leakage", "The normalising peak is taken from the test audio: compute it from train.audio."),
        Finding(tts, 51, "targets-unrelated-to-inputs", "Training words are random and unrelated to the audio: use train_words = word_ids(train.captions)."),
        Finding(tts, 63, "no-teacher-forcing-shift", "The previous-frame input must be the targets shifted right: concatenate zeros with target[:, :-1], not target[:, 1:]."),
        Finding(tts, 68, "wrong-variables-trained", "Only the text encoder is trained: take and apply gradients for tts.trainable_variables (the decoder LSTM and Dense too)."),
        Finding(tts, 72, "metric-on-training-data", "The 'held-out' error is computed on training clips: evaluate on test_words and test_audio."),
    ]
