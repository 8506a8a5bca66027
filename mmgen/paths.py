"""Where things are: the repository and, for one exercise, each of its files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOLUTIONS = REPO / "solutions"  # the reference solutions


@dataclass(frozen=True)
class Layout:
    """The files of one exercise, named once."""

    slug: str
    root: Path = REPO  # a copy of the repository, for the lint's own tests

    @classmethod
    def for_slug(cls, slug: str, root: Path = REPO) -> Layout:
        return cls(slug, root)

    @property
    def stub(self) -> Path:
        return self.root / "exercises" / f"{self.slug}.py"

    @property
    def solution(self) -> Path:
        return self.root / "solutions" / f"{self.slug}.py"

    @property
    def checks(self) -> Path:
        return self.root / "tests" / f"test_{self.slug}.py"

    @property
    def known_answers(self) -> Path:
        return self.root / "tests" / "answers" / self.slug

    @property
    def notebook(self) -> Path:
        return self.root / "notebooks" / f"{self.slug}.ipynb"

    @property
    def demo(self) -> Path:
        return self.root / "notebooks" / "demos" / f"{self.slug}.py"

    def all(self) -> list[Path]:
        """Every file (and folder) the exercise needs."""
        return [self.stub, self.solution, self.checks, self.notebook, self.demo, self.known_answers]
