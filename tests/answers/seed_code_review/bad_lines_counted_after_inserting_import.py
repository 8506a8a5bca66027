"""Bug: text_to_image_gan lines after 11 are read from an edited copy with an extra import line inserted, so they are one too high."""

from __future__ import annotations

from typing import NamedTuple

CAUGHT_BY = (
    "test_at_most_one_finding_matches_no_mistake",
    "test_at_most_three_findings_match_no_mistake",
    "test_text_to_image_gan_mistake_1",
    "test_text_to_image_gan_mistake_4",
    "test_text_to_image_gan_mistake_5",
    "test_text_to_image_gan_mistake_6",
)

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
    """The findings of my review of the three scripts."""
    return [
        Finding("text_to_image_gan", 32, "condition-ignored",
                "Feed the caption to the generator: Dense(...)(Concatenate()([z_in, t])) instead of Dense(...)(z_in)."),
        Finding("text_to_image_gan", 33, "shape-mismatch",
                "Reshape((7, 7, 64)): two stride-2 upsamplings of 14x14 give 56x56, not the 28x28 the discriminator takes."),
        Finding("text_to_image_gan", 10, "undefined-name",
                "Import Conv2DTranspose from tensorflow.keras.layers."),
        Finding("text_to_image_gan", 46, "activation-mismatch",
                "End the discriminator with Dense(1) (a logit): the loss is BinaryCrossentropy(from_logits=True)."),
        Finding("text_to_image_gan", 64, "activation-mismatch",
                "Scale the real images to [-1, 1] (images * 2 - 1) to match the generator's tanh output."),
        Finding("text_to_image_gan", 65, "targets-unrelated-to-inputs",
                "Pair each real image with its own caption: tf.constant(data.captions[idx]), not random tokens."),
        Finding("text_to_image_gan", 77, "wrong-variables-trained",
                "Differentiate and update generator.trainable_variables only; gan's variables include the discriminator's."),
        Finding("image_captioning", 24, "shape-mismatch",
                "A GRU needs a sequence; map the flattened features to a vector with Dense(UNITS) instead."),
        Finding("image_captioning", 10, "undefined-name",
                "Import Embedding from tensorflow.keras.layers."),
        Finding("image_captioning", 33, "condition-ignored",
                "Start the decoder from the image: GRU(...)(e, initial_state=[h])."),
        Finding("image_captioning", 34, "activation-mismatch",
                "Return logits (Dense(VOCAB_SIZE) without softmax): the loss uses from_logits=True."),
        Finding("image_captioning", 44, "leakage",
                "Validate on the rows after the training ones, data[512:]; data[-256:] includes 128 training rows."),
        Finding("image_captioning", 50, "no-teacher-forcing-shift",
                "Targets are the captions shifted left: targets = captions[:, 1:]."),
        Finding("image_captioning", 63, "metric-on-training-data",
                "Compute the accuracy from val_logits against val_targets with val_weights, not from the last training batch."),
        Finding("text_to_audio", 33, "activation-mismatch",
                "Use tanh: a waveform lies in [-1, 1] and a sigmoid can never produce its negative half."),
        Finding("text_to_audio", 44, "shape-mismatch",
                "Split the clip into consecutive frames: audio.reshape(-1, MAX_WORDS, TONE_SAMPLES), no transpose."),
        Finding("text_to_audio", 49, "leakage",
                "Take the normalising peak from the training audio only."),
        Finding("text_to_audio", 51, "targets-unrelated-to-inputs",
                "Use the words of each clip's own caption: word_ids(train.captions), not random ids."),
        Finding("text_to_audio", 52, "undefined-name", "Import word_ids from mmgen.toy_data."),
        Finding("text_to_audio", 63, "no-teacher-forcing-shift",
                "The previous frame of slot i is target[:, i - 1]: concatenate zeros with target[:, :-1]."),
        Finding("text_to_audio", 68, "wrong-variables-trained",
                "Differentiate and update tts.trainable_variables; the decoder's LSTM and Dense layers never train otherwise."),
        Finding("text_to_audio", 72, "metric-on-training-data",
                "Evaluate on the held-out clips: eval_words, eval_audio = test_words, test_audio."),
    ]
