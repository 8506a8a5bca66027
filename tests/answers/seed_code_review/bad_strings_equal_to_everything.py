"""Bug (gaming): one finding per line whose category is a str that compares equal to every category."""

from __future__ import annotations

from typing import NamedTuple

CAUGHT_BY = ("test_text_to_image_gan_mistake_2",)

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


class AnyCategory(str):
    def __eq__(self, other):
        return True

    def __hash__(self):
        return hash("condition-ignored")


def review() -> list[Finding]:
    """One finding per line of the lines most likely to hold a mistake, with a wildcard category."""
    lines = [31, 32, 33, 45, 63, 64, 76]
    return [Finding("text_to_image_gan", line, AnyCategory("condition-ignored"), "fix it") for line in lines]
