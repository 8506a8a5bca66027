"""The scripts that seed_code_review asks learners to review: the broken and corrected copies agree
with the table of planted mistakes that the checks score, and the corrected scripts run."""

import os
import subprocess
import sys

import pytest
from test_seed_code_review import MISTAKES, PROGRAM_LINES

from mmgen.paths import REPO

BROKEN = REPO / "exercises" / "review_programs"
CORRECTED = REPO / "solutions" / "review_programs"
PROGRAMS = sorted({mistake.program for mistake in MISTAKES})


def changed_lines(program: str) -> set[int]:
    """Line numbers where the broken and corrected copies of ``program`` differ."""
    broken, corrected = ((folder / f"{program}.py").read_text().splitlines() for folder in (BROKEN, CORRECTED))
    assert len(broken) == len(corrected), f"{program}: the corrected copy must keep the broken one's line numbers"
    return {number for number, (a, b) in enumerate(zip(broken, corrected), start=1) if a != b}


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_changed_line_belongs_to_a_planted_mistake(program):
    covered = set().union(*(m.lines for m in MISTAKES if m.program == program))
    assert changed_lines(program) <= covered, sorted(changed_lines(program) - covered)


@pytest.mark.parametrize("index", range(len(MISTAKES)), ids=lambda i: f"{MISTAKES[i].program}-{min(MISTAKES[i].categories)}-{i}")
def test_every_planted_mistake_is_corrected_on_one_of_its_lines(index):
    mistake = MISTAKES[index]
    assert mistake.lines & changed_lines(mistake.program), f"nothing changes on lines {sorted(mistake.lines)}"


def test_the_checks_know_each_scripts_length():
    assert PROGRAM_LINES == {program: len((BROKEN / f"{program}.py").read_text().splitlines()) for program in PROGRAM_LINES}


def test_no_finding_can_match_two_mistakes():
    """Mistakes of one program that share a category share no line, so a finding names at most one."""
    for first, mistake in enumerate(MISTAKES):
        for other in MISTAKES[first + 1:]:
            if mistake.program == other.program and mistake.categories & other.categories:
                assert not mistake.lines & other.lines, (mistake, other)


def test_the_corrected_scripts_run(tmp_path):
    """All three in one interpreter (one TensorFlow import), from a scratch folder, with the repository importable."""
    script = "import runpy, sys\nfor path in sys.argv[1:]:\n    runpy.run_path(path, run_name='__main__')\n"
    paths = [str(CORRECTED / f"{program}.py") for program in PROGRAMS]
    proc = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(REPO), "TF_CPP_MIN_LOG_LEVEL": "3"}, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "held-out L1" in proc.stdout and "val token accuracy" in proc.stdout and "samples (4, 28, 28, 1)" in proc.stdout
