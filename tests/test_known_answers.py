"""The checks catch real bugs and accept sound answers built differently.

``tests/answers/<slug>/bad_*.py`` are realistic wrong answers; each names in ``CAUGHT_BY`` the
checks it must fail. ``tests/answers/<slug>/good_*.py`` are sound alternatives that must pass
every check of their exercise.
"""

import ast
import importlib
import inspect
from collections.abc import Callable
from pathlib import Path

import pytest

from mmgen import exhibits
from mmgen.answers import Answer
from mmgen.checks import seed_everything
from mmgen.pytest_plugin import REFERENCE, describe

ANSWERS = Path(__file__).parent / "answers"


def known(prefix: str) -> list:
    return [
        pytest.param(path.parent.name, path, id=f"{path.parent.name}/{path.stem}")
        for path in sorted(ANSWERS.glob(f"*/{prefix}_*.py"))
    ]


def caught_by(path: Path) -> tuple[str, ...]:
    """The CAUGHT_BY tuple of a bad answer, read without running the file."""
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "CAUGHT_BY" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    raise AssertionError(f"{path} has no CAUGHT_BY = ('test_...',) naming the checks it must fail")


def well_formed_exhibit(make: Callable[[], dict]) -> None:
    """The ``exhibit`` fixture of these runs: what a check shows, when it can be drawn, must be
    what the grader accepts from a grading child."""
    shown = exhibits.drawn(make)
    assert shown is None or exhibits.parse({"check": "shown", **shown}, {"shown"}) is not None, f"a malformed exhibit: {shown}"


def run_check(slug: str, name: str, path: Path) -> tuple[str, str] | None:
    """Run one check of ``tests/test_<slug>.py`` on the answer at ``path``: None if it passed, else (kind, message)."""
    check = getattr(importlib.import_module(f"test_{slug}"), name)
    fixtures = {"answer": Answer(path), "reference": Answer(REFERENCE / f"{slug}.py"), "exhibit": well_formed_exhibit}
    seed_everything()
    try:
        check(**{argument: fixtures[argument] for argument in inspect.signature(check).parameters})
    except Exception as exc:  # noqa: BLE001 - a failed check, described as the grader would
        return describe(exc, path.parent.resolve(), Path(check.__code__.co_filename).resolve())
    return None


@pytest.mark.parametrize(("slug", "path"), known("bad"))
def test_bad_answer_fails_the_checks_it_names(slug, path):
    for name in caught_by(path):
        failure = run_check(slug, name, path)
        assert failure is not None, f"{path.name} passed {name}, which should catch its bug"
        assert failure[0] in ("check", "error"), f"{path.name} failed {name} for an unrelated reason: {failure}"


@pytest.mark.parametrize(("slug", "path"), known("good"))
def test_sound_alternative_passes_every_check(slug, path):
    module = importlib.import_module(f"test_{slug}")
    names = [name for name in dir(module) if name.startswith("test_")]
    failures = {name: failure for name in names if (failure := run_check(slug, name, path))}
    assert not failures, f"{path.name} is sound but failed: {failures}"
