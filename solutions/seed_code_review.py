"""Code review: what is wrong with these multimodal training scripts? (the seed's coding answers).

Interview question
    Interviewers hand a candidate a short training script and ask what is wrong with it.
    exercises/review_programs/ holds three such scripts, written in the style of quick
    interview answers (TensorFlow / Keras, one file each):
        text_to_image_gan.py   a caption-conditioned GAN for the toy scenes
        image_captioning.py    a CNN encoder and a GRU decoder that caption the scenes
        text_to_audio.py       an LSTM that says a caption's words as toy tones
    Each one looks plausible and carries several mistakes: some crash, most train quietly
    and learn the wrong thing. Review them and list what you find.

What to build
    review() -> list of Finding
        One Finding(program, line, category, fix) per mistake you find:
        - program: the script's file name without ".py" (one of PROGRAMS);
        - line: a 1-based line number in exercises/review_programs/<program>.py: the line
          with the mistake, or the line your fix changes (for a name that is never
          imported, the line that uses it or the import line it is missing from);
        - category: one of CATEGORIES (below);
        - fix: one line of text saying what to change (your interviewer reads it; the
          checks only ask that it is a non-empty single line).
        A plain tuple of the four fields in this order is accepted too.

    How it is scored
        - Each mistake in the scripts is a check: it passes when one of your findings names
          its program, a line of it and its category. A mistake may span several lines (a
          value computed on one line and wrongly used on the next, a gradient and the update
          that applies it): one finding on any of them is enough, and further findings of
          the same mistake cost nothing. A finding can match one mistake only.
        - The failure message says how many mistakes remain in that script, not which.
        - Findings that match no mistake cost up to 3 points: the three precision checks
          allow at most 1, 3 and 5 of them, and count only once your review has found at
          least half of all the mistakes (an empty review earns nothing).
        - A review may list at most MAX_FINDINGS findings; a longer one, or one with a
          malformed finding (unknown program or category, a line outside the file, an
          empty or multi-line fix), is not scored at all.
        - The scripts import mmgen.toy_data, whose helpers are correct; the toy world has
          only 64 scenes, so "held-out" examples are new draws of the same scenes, which is
          not itself a mistake. Style, speed and the tiny number of steps are not mistakes.

Model answer (to say aloud)
    I read each script in the order data flows: what goes in, what each model depends
    on, what the loss compares, which variables each step moves, and what is evaluated.
    The text-to-image GAN builds a text encoder for the generator but its first Dense
    layer reads only the noise, so the "conditional" generator ignores the caption; it
    reshapes 3136 values to 14x14x16, so two stride-2 upsamplings give 56x56 images the
    discriminator cannot take; it uses Conv2DTranspose without importing it; the
    discriminator ends in a sigmoid while the loss expects logits, which squashes every
    score into [0.5, 0.73]; real images stay in [0, 1] while the generator's tanh covers
    [-1, 1], so range alone separates them; the real images are paired with random token
    ids instead of their captions; and the generator step updates gan.trainable_variables,
    which include the discriminator's, so the generator's loss also trains D to be fooled.
    The captioner runs a GRU on a flattened 2-D tensor (a recurrent layer needs a
    sequence); uses Embedding without importing it; computes the image encoding h and
    never gives it to the decoder, so every image gets the same caption; puts a softmax
    before a from-logits loss; validates on the last 256 of 640 rows although training
    took the first 512; uses the unshifted captions as targets, so the model learns to
    copy its input token instead of predicting the next one; and reports the last
    training batch's accuracy as validation accuracy. The text-to-audio script ends in a
    sigmoid although a waveform is in [-1, 1]; cuts each clip into frames with a reshape
    and transpose that interleaves samples from all words; normalises by the test set's
    peak; trains on random word ids instead of each clip's words; calls word_ids without
    importing it; gives slot i its own target frame as its "previous" frame instead of
    frame i - 1, so it learns to copy the answer, which it will not have at synthesis time;
    updates only the text encoder's variables, so the decoder never trains; and reports
    "held-out" error on training clips. After fixing, I would add the checks that catch
    these cheaply: assert output shapes, print each model's inputs, check the value range
    of data and outputs, overfit one batch, and compare a metric on train and test.

Checklist (what a strong spoken answer covers)
    - Conditioning: every conditional model must use its condition (G's caption, the decoder's image encoding)
    - Shapes: upsampling arithmetic (7 -> 14 -> 28), recurrent layers need (batch, time, features), frame layout
    - Activations against losses and data ranges: sigmoid/softmax with from_logits=True, tanh vs [0, 1] images, sigmoid waveforms
    - Training pairs must belong together: no random captions or words as conditions
    - Each step updates only its own network: G's step must not move D; the whole text-to-audio model must train
    - Teacher forcing shifts by one: inputs [:-1] and targets [1:]; previous frames come from the past
    - Evaluation hygiene: no overlap between train and validation, statistics from training data only, metrics on held-out data
    - Cheap guards: shape asserts, overfitting one batch, comparing train and test metrics
"""

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
    return [
        Finding("text_to_image_gan", 31, "condition-ignored",
                "Feed the caption to the generator: Dense(...)(Concatenate()([z_in, t])) instead of Dense(...)(z_in)."),
        Finding("text_to_image_gan", 32, "shape-mismatch",
                "Reshape((7, 7, 64)): two stride-2 upsamplings of 14x14 give 56x56, not the 28x28 the discriminator takes."),
        Finding("text_to_image_gan", 10, "undefined-name", "Import Conv2DTranspose from tensorflow.keras.layers."),
        Finding("text_to_image_gan", 45, "activation-mismatch",
                "End the discriminator with Dense(1) (a logit): the loss is BinaryCrossentropy(from_logits=True)."),
        Finding("text_to_image_gan", 63, "activation-mismatch",
                "Scale the real images to [-1, 1] (images * 2 - 1) to match the generator's tanh output."),
        Finding("text_to_image_gan", 64, "targets-unrelated-to-inputs",
                "Pair each real image with its own caption: tf.constant(data.captions[idx]), not random tokens."),
        Finding("text_to_image_gan", 76, "wrong-variables-trained",
                "Differentiate and update generator.trainable_variables only; gan's variables include the discriminator's."),
        Finding("image_captioning", 24, "shape-mismatch",
                "A GRU needs a sequence; map the flattened features to a vector with Dense(UNITS) instead."),
        Finding("image_captioning", 10, "undefined-name", "Import Embedding from tensorflow.keras.layers."),
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
        Finding("text_to_audio", 49, "leakage", "Take the normalising peak from the training audio only."),
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
