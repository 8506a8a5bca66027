"""Bug (gaming): every line of every script with every category, in a list whose len() says 1, to slip past MAX_FINDINGS."""

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


class ShortList(list):
    def __len__(self):
        return 1


def review() -> list[Finding]:
    """Every (program, line, category) there is."""
    lines = {"text_to_image_gan": 81, "image_captioning": 73, "text_to_audio": 79}
    return ShortList(Finding(program, line, category, "fix it") for program, count in lines.items()
                     for line in range(1, count + 1) for category in CATEGORIES)
