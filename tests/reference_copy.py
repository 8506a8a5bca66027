"""The base of the known-bad answers in tests/answers/: a copy of the reference to redefine one function in.

It lives beside the tests, not in the ``mmgen`` package that answers may import, and a grading
child could not read the reference anyway: known answers run in-process, in the test suite.
"""

from __future__ import annotations

from pathlib import Path

REFERENCE = Path(__file__).resolve().parent.parent / "solutions"


def start_from_reference(slug: str, namespace: dict) -> None:
    """Run ``solutions/<slug>.py`` inside ``namespace``.

    A known-bad answer calls this first and then redefines the one function that carries its
    bug, so every other function (and every caller of the buggy one) comes from the reference.
    """
    path = REFERENCE / f"{slug}.py"
    exec(compile(path.read_bytes(), str(path), "exec", dont_inherit=True), namespace)
