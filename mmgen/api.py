"""Grading from Python: where the answers come from (a folder, the reference, the notebooks) and
one call that grades them. The command line, watch mode and mock interviews all grade through it.

    from mmgen import api
    results = api.grade(["gan_losses"], api.Source.of(answers="candidate/"))
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mmgen import preflight
from mmgen.catalog import REPO, Exercise, load_catalog
from mmgen.paths import SOLUTIONS
from mmgen.results import Result
from mmgen.scheduling import grade as grade_folder
from mmgen.supervision import Zygote


@dataclass(frozen=True)
class Source:
    """Where the answers are: a folder of ``<slug>.py`` files, or of notebooks (``notebooks=True``)."""

    folder: Path
    notebooks: bool = False

    @classmethod
    def of(cls, answers: str | Path | None = None, solutions: bool = False, notebooks: str | Path | None = None) -> Source:
        """The source the command line names: ``--answers DIR``, ``--solutions``, ``--notebooks [DIR]``
        or, by default, the learner's ``exercises/``."""
        if notebooks:
            return cls(Path(notebooks), notebooks=True)
        return cls(Path(answers) if answers else SOLUTIONS if solutions else REPO / "exercises")

    def file(self, slug: str) -> Path:
        """The file the learner saves for ``slug`` (watch mode re-grades when it changes)."""
        return self.folder / f"{slug}.{'ipynb' if self.notebooks else 'py'}"

    def edit_in(self, slug: str) -> str:
        """What to tell the learner to edit for ``slug``."""
        return f"the answer cells of {self.file(slug)}" if self.notebooks else f"{slug}.py"

    @property
    def own_work(self) -> bool:
        """Whether these are the learner's own answers (exercises/ or the repository's notebooks),
        the only ones recorded in their progress."""
        own = REPO / ("notebooks" if self.notebooks else "exercises")
        return self.folder.resolve() == own.resolve()

    def problem(self, slugs: list[str]) -> str:
        """Why this source cannot be graded ('' when it can)."""
        return preflight.folder_problem(self.folder, "notebooks" if self.notebooks else "answers", slugs)


def grade(slugs: list[str] | None, source: Source, time_limit: float | None = None, zygote: Zygote | None = None) -> list[Result]:
    """Grade ``slugs`` (all exercises when None) from ``source``; results in catalogue order of ``slugs``."""
    catalog = load_catalog()
    exercises: list[Exercise] = [catalog[slug] for slug in (slugs or catalog)]
    if not source.notebooks:
        print(f"grading {len(exercises)} exercise(s) in {source.folder.resolve()}", file=sys.stderr)
        return grade_folder(exercises, source.folder.resolve(), time_limit, zygote)
    from mmgen.notebooks import write_answers_from_notebooks  # nbformat, only when grading notebooks

    with tempfile.TemporaryDirectory(prefix="answers-from-notebooks-") as extracted:
        write_answers_from_notebooks(source.folder, [e.slug for e in exercises], Path(extracted))
        print(f"grading {len(exercises)} exercise(s) from the notebooks in {source.folder.resolve()}", file=sys.stderr)
        results = grade_folder(exercises, Path(extracted), time_limit, zygote)
    for result in results:  # point at the notebook the learner edits, not the file extracted from it
        for check in result.checks:
            check.message = check.message.replace(str(Path(extracted) / f"{result.slug}.py"), source.edit_in(result.slug))
    return results
