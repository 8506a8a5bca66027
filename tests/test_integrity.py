"""What the grader trusts and the tripwires it sets: the declared checks, the answer file itself,
the tamper scan of the answer's source, and the checkout's fingerprint."""

import os

import pytest

from mmgen import scheduling
from mmgen.catalog import REPO, load_catalog
from mmgen.integrity import (ANSWER_READ_LIMIT, answer_file_problem, changed_files, expected_checks, fingerprint, read_answer_text,
                             tamper_findings)

HONEST = sorted(path for path in [*REPO.glob("solutions/*.py"), *REPO.glob("exercises/*.py"), *REPO.glob("tests/answers/*/good_*.py")]
                if "start_from_reference" not in path.read_text())  # answers built on the reference borrow it by design
TAMPERING = {
    "from solutions.gan_losses import *": "imports solutions.gan_losses",
    "from reference_copy import start_from_reference": "imports reference_copy",
    "from mmgen.answers import load": "imports mmgen.answers",
    "import mmgen.toy_data\nf = mmgen.answers.load": "uses mmgen.answers",
    "import numpy as np\nnp.allclose = lambda *a, **k: True": "rebinds np.allclose",
    "import pytest": "imports pytest",
    "import builtins\nbuiltins.hasattr = None": "imports builtins",
    "import gc": "imports gc",
    "import sys\nframe = sys._getframe(1)": "uses ._getframe",
    "import sys\nsys.modules['x'] = None": "uses .modules",
    "import os\nos.setsid()": "calls os.setsid()",
    "from os import fork\nfork()": "calls os.fork()",
    "exec(open('x').read())": "calls exec()",
    "path = '/proc/self/cwd'": "names '/proc/self/cwd'",
    "from pathlib import Path\np = Path('..') / 'solutions' / 'gan_losses.py'": "names 'solutions'",
    "from . import helper": "imports a relative module",
}


@pytest.mark.parametrize("path", HONEST, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_honest_answers_raise_no_tamper_finding(path):
    assert tamper_findings(path.read_text()) == []


@pytest.mark.parametrize(("source", "finding"), TAMPERING.items(), ids=list(TAMPERING.values()))
def test_tampering_is_found_with_its_line(source, finding):
    found = tamper_findings(source)
    assert any(finding in line for line in found), found
    assert all(line.startswith("line ") for line in found)


def test_a_docstring_may_mention_anything():
    assert tamper_findings('"""Compare with solutions/ and /proc, as tests/ do."""\nx = 1\n') == []


def test_declared_checks_come_from_the_check_file_with_points_and_training_marks():
    checks = expected_checks(REPO / "tests" / "test_text_to_image_gan.py")
    assert [c.index for c in checks] == list(range(len(checks)))
    assert any(c.points > 1 for c in checks) and any(c.training for c in checks)
    assert all(c.name.startswith("test_") for c in checks)


def test_a_symlinked_answer_is_refused_and_flagged_without_running(tmp_path):
    answers = tmp_path / "answers"
    answers.mkdir()
    (answers / "gan_losses.py").symlink_to(REPO / "solutions" / "gan_losses.py")
    assert "symbolic link" in answer_file_problem(answers, "gan_losses")
    [result] = scheduling.grade([load_catalog()["gan_losses"]], answers, zygote=object())  # never asked to run anything
    assert result.status == "flagged" and result.points == 0 and result.max_points > 0


def test_a_named_pipe_as_answer_is_refused_without_hanging(tmp_path):
    answers = tmp_path / "answers"
    answers.mkdir()
    os.mkfifo(answers / "gan_losses.py")
    assert "not a regular file" in answer_file_problem(answers, "gan_losses")
    [result] = scheduling.grade([load_catalog()["gan_losses"]], answers, zygote=object())  # never asked to run anything
    assert result.status == "flagged" and result.points == 0
    assert read_answer_text(answers / "gan_losses.py") is None, "the trusted side never blocks on reading it"


def test_an_answer_too_large_to_scan_is_flagged(tmp_path):
    answer = tmp_path / "gan_losses.py"
    answer.write_text("x = 1\n" + "#" * ANSWER_READ_LIMIT)
    assert any("could not be scanned" in finding for finding in scheduling.answer_findings(answer))


def test_the_fingerprint_names_a_changed_file(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    before = fingerprint(tmp_path)
    (tmp_path / "a.py").write_text("x = 2\n")
    (tmp_path / "b.py").write_text("")
    assert changed_files(before, fingerprint(tmp_path)) == ["a.py", "b.py"]


def test_the_checkout_fingerprint_covers_the_checks_and_the_reference_but_not_the_learners_files():
    tracked = fingerprint(REPO)
    assert {"mmgen/checks.py", "solutions/gan_losses.py", "tests/test_gan_losses.py", "catalog.toml"} <= tracked.keys()
    assert not any(name.startswith(("exercises/", "notebooks/")) for name in tracked)
