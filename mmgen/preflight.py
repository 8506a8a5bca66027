"""What must hold before grading starts, each problem told in one line (exit status 2).

A learner's setup problem (TensorFlow missing, a misspelt slug, a report path that cannot be
written, a limit that makes no sense) is not their answer's failure: it is reported before any
child starts, and nothing is recorded in their progress.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import math
import os
import sys
from pathlib import Path

REQUIRED = {"tensorflow": "TensorFlow", "keras": "Keras", "numpy": "NumPy", "pytest": "pytest"}
SHORTEST_LIMIT_SECONDS = 1.0


def missing_dependency() -> str:
    """One line naming the first package the grader needs that this Python lacks ('' if none)."""
    for module, name in REQUIRED.items():
        if importlib.util.find_spec(module) is None:
            return (f"{name} is not installed in this Python ({sys.executable}): "
                    "run the README's first command (python -m pip install -r requirements.txt)")
    return ""


def seconds(text: str) -> float:
    """argparse type: a time limit of at least one second."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < SHORTEST_LIMIT_SECONDS:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time limit: give seconds, at least {SHORTEST_LIMIT_SECONDS:g}")
    return value


def minutes(text: str) -> float:
    """argparse type: a positive, finite number of minutes."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration: give a positive number of minutes")
    return value


def unknown_slug(slug: str, known: list[str]) -> str:
    """The message for a slug not in the catalogue, with the closest one when there is one."""
    close = difflib.get_close_matches(slug, known, n=1)
    return f"unknown exercise {slug!r}" + (f"; did you mean {close[0]!r}?" if close else "; see --list")


def folder_problem(path: Path, what: str, slugs: list[str]) -> str:
    """Why ``path`` cannot be the folder of answers or notebooks ('' when it can)."""
    if path.is_dir():
        return ""
    if path.name in slugs and not path.exists():
        return f"{what} folder {path} does not exist; to grade one exercise, name it before the option: python grade.py {path.name} --{what}"
    if path.is_file():
        return f"{path} is a file; --{what} takes the folder that holds the <slug> files"
    return f"{what} folder {path} does not exist"


def output_problem(path: Path, option: str) -> str:
    """Why ``--json``/``--junit`` cannot write ``path`` ('' when it can)."""
    folder = path.parent
    if path.is_dir():
        return f"{option} {path} is a folder; give a file name"
    if not folder.is_dir():
        return f"{option} {path}: the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{option} {path} cannot be written (permission denied)"
    return ""
