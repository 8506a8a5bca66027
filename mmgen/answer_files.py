"""The learner's answer file against the repository's: compare it with the reference once the
exercise is passed, and reset it to the stub (keeping a backup)."""

from __future__ import annotations

import difflib
import shutil
import subprocess
import time
from pathlib import Path

from mmgen.catalog import REPO
from mmgen.paths import Layout
from mmgen.practice import docstring_section, state_path


class AnswerFileError(Exception):
    """The command cannot do what was asked (said in one line)."""


def reference_diff(slug: str, answer: Path) -> str:
    """A unified diff from the learner's answer to the reference, then the model answer."""
    reference = Layout.for_slug(slug).solution
    mine = answer.read_text(encoding="utf-8").splitlines(keepends=True) if answer.exists() else []
    diff = "".join(difflib.unified_diff(mine, reference.read_text(encoding="utf-8").splitlines(keepends=True),
                                        fromfile=f"yours: {answer}", tofile=f"reference: solutions/{slug}.py"))
    model = docstring_section(reference, "Model answer")
    return (diff or "your answer is the reference, line for line\n") + f"\nModel answer to say aloud:\n{model}\n"


def committed_stub(slug: str) -> str:
    """The stub ``exercises/<slug>.py`` as the repository holds it (not as the learner edited it)."""
    try:
        return subprocess.run(["git", "show", f"HEAD:exercises/{slug}.py"], cwd=REPO, capture_output=True,
                              text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise AnswerFileError(f"the original stub of {slug} needs git to recover ({exc})") from None


def backup_folder() -> Path:
    """Where reset keeps the learner's files: beside the progress file, outside the checkout's tracked files."""
    return state_path().parent / "backups"


def reset(slug: str, answer: Path) -> str:
    """Put the stub back in ``answer``, keeping what was there as a backup; what was done, in one line."""
    stub = committed_stub(slug)
    if answer.exists() and answer.read_text(encoding="utf-8") == stub:
        return f"{answer} is already the stub; nothing to reset"
    saved = ""
    if answer.exists():
        backups = backup_folder()
        backups.mkdir(parents=True, exist_ok=True)
        backup = backups / f"{slug}-{time.strftime('%Y%m%d-%H%M%S')}.py"
        shutil.copy2(answer, backup)
        saved = f"; your version is kept as {backup}"
    answer.write_text(stub, encoding="utf-8")
    return f"{answer} is the stub again{saved}"
