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

Grade with: python grade.py seed_code_review
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
    raise NotImplementedError
