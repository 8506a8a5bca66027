"""The authoring lint (mmgen.lint): the repository passes it, and it names drift it is shown."""

import shutil

import pytest

from mmgen import lint
from mmgen.catalog import REPO

COPIED = ("catalog.toml", "README.md", "pyproject.toml", "requirements.txt", "exercises", "solutions", "tests", "notebooks")


def test_the_repository_passes_the_lint():
    assert lint.findings() == []


@pytest.fixture
def copy(tmp_path, monkeypatch):
    """A copy of the files the lint reads, which a test may break."""
    for name in COPIED:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, tmp_path / name)
    monkeypatch.setattr(lint, "REPO", tmp_path)
    monkeypatch.setattr(lint, "CATALOG", tmp_path / "catalog.toml")
    return tmp_path


def edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(("where", "old", "new", "finding"), [
    ("exercises/gan_losses.py", "def generator_loss(fake_logits)", "def generator_loss(fake)", "`generator_loss` is (fake)"),
    ("exercises/gan_losses.py", "Grade with: python grade.py gan_losses", "Grade it", "the stub's docstring"),
    ("solutions/gan_losses.py", "Checklist (what a strong spoken answer covers)", "Points", "no `Checklist` section"),
    ("catalog.toml", 'requires = ["gan_losses"]', 'requires = ["gan_loss"]', "requires 'gan_loss'"),
    ("catalog.toml", "format = 1", "format = 2", "format is 2"),
    ("tests/test_gan_losses.py", "@pytest.mark.hint(7)", "@pytest.mark.hint(70)", "names hint 70"),
    ("README.md", "| `gan_losses` |", "| `gan_loss` |", "README.md: the exercise table"),
    ("requirements.txt", "numpy>=1.26", "numpy>=2", "pyproject.toml: [project] dependencies"),
])
def test_the_lint_names_drift_between_an_exercises_files(copy, where, old, new, finding):
    edit(copy / where, old, new)
    assert any(finding in line for line in lint.findings()), lint.findings()


def test_the_lint_names_a_missing_file_and_a_caught_by_naming_no_check(copy):
    (copy / "notebooks" / "gan_losses.ipynb").unlink()
    known = next((copy / "tests" / "answers" / "text_to_audio").glob("bad_*.py"))
    edit(known, "CAUGHT_BY = (", "CAUGHT_BY = ('test_no_such_check', ")
    found = lint.findings()
    assert "gan_losses: notebooks/gan_losses.ipynb is missing" in found
    assert any("test_no_such_check" in line for line in found)
