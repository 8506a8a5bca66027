"""The words the grading child and the grader share, named once: event kinds, outcomes, failure
kinds and statuses, and the versions of the child's report and of the JSON report.

The child writes one JSON object per line to its report file: ``{"event": Event, ...}``. The
grader reads them as untrusted input (see :func:`mmgen.results.summarise`).
"""

from __future__ import annotations

from enum import StrEnum

PROTOCOL_VERSION = 2  # of the child's event lines (the "collected" event carries it); 2 added "exhibit"
REPORT_VERSION = 1  # of grade.py --json (its "version" field)


class Event(StrEnum):
    """What a line of the child's report says."""

    COLLECTED = "collected"  # the checks the child found (with "version": PROTOCOL_VERSION)
    BROKEN = "broken"  # a check file could not be loaded: the grader's fault
    START = "start"  # a check started
    NOTE = "note"  # what the child is doing (importing the answer, say)
    RESULT = "result"  # a check's outcome
    EXHIBIT = "exhibit"  # what the answer's model produced, for the report (see mmgen.exhibits)


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"


class FailureKind(StrEnum):
    """Why a check failed."""

    ANSWER = "answer"  # the answer file is missing or cannot be imported
    NOT_IMPLEMENTED = "not_implemented"  # the stub's NotImplementedError
    CHECK = "check"  # a check's assertion about what the answer returned
    ERROR = "error"  # the answer's code raised
    UNREPORTED = "unreported"  # the child never reported it (crash, time-out, server lost)


class Status(StrEnum):
    """An exercise's status, in the table, the JSON report and the progress file."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_STARTED = "not started"
    TIMED_OUT = "timed out"
    CRASHED = "crashed"
    FLAGGED = "flagged"
