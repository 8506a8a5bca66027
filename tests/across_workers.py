"""Dear fixtures computed once per test run, however many pytest-xdist workers read them.

A module-scoped fixture runs once per worker that runs one of its tests, and ``-n auto`` spreads
a module's tests over every worker (pytest-xdist's ``loadgroup``, which would keep them together,
does not rename items under pytest 9.2). Such a fixture instead fills a folder that all workers of
the run share, under a lock: the first worker to ask does the work, the others wait and read it.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder ``name`` shared by every worker of this run, and whether the caller must fill it.

    The caller holds the lock until the ``with`` block ends, so a worker that reads the folder
    finds it complete; a block that raises leaves it to be filled again by the next caller.
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # each worker's base folder lies in the run's own
    folder, done = root / f"shared-{name}", root / f"shared-{name}.done"
    with open(root / f"shared-{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        fresh = not done.exists()
        folder.mkdir(exist_ok=True)
        yield folder, fresh
        done.touch()
