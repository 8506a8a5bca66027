"""The exercise catalogue (catalog.toml): slug, title, seed section, hints, time limit, kind,
difficulty and prerequisites."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from mmgen.paths import REPO, Layout

CATALOG = REPO / "catalog.toml"
FORMAT = 1  # the catalogue's `format`, raised when its fields change meaning


@dataclass(frozen=True)
class Exercise:
    slug: str
    title: str
    seed: str
    time_limit: float
    hints: tuple[str, ...]
    kind: str  # "coding" (a coding task) or "conceptual" (an interview question answered in code)
    difficulty: int = 1  # 1 (warm-up) to 3 (hardest)
    requires: tuple[str, ...] = ()  # exercises to pass first
    hidden_checks: Path | None = None  # a check file kept outside the repository (grade.py batch --checks)

    @property
    def check_file(self) -> Path:
        return Layout.for_slug(self.slug).checks

    @property
    def check_files(self) -> tuple[Path, ...]:
        """The check files the exercise is graded with: its own, then the hidden one if any."""
        return (self.check_file, *([self.hidden_checks] if self.hidden_checks else []))


def load_catalog(path: Path = CATALOG) -> dict[str, Exercise]:
    """Exercises by slug, in catalogue order."""
    with open(path, "rb") as handle:
        entries = tomllib.load(handle)["exercise"]
    return {
        e["slug"]: Exercise(e["slug"], e["title"], e["seed"], float(e["time_limit"]), tuple(e["hints"]), e["kind"],
                            int(e["difficulty"]), tuple(e["requires"]))
        for e in entries
    }
