"""Limits shared by the grader and its grading server: a child's memory, file size and start-up
time, and how a child and everything it started are ended."""

from __future__ import annotations

import os
import signal

MEMORY_LIMIT_BYTES = 8 * 2**30  # address space of a grading child; TensorFlow's import fits well within it


FILE_SIZE_LIMIT_BYTES = 256 * 2**20


STARTUP_SECONDS = 300  # for the grading server to import TensorFlow and fork a child


def kill_group(pid: int) -> None:
    """Kill a grading child and everything in its session (the child alone if it has none yet)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
