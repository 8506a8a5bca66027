"""The result model and its rules: a check's and an exercise's result, the statuses, and how the
grading child's events become a result (trusting only the check file for what checks exist).

Each child runs ``pytest tests/test_<slug>.py --answers DIR --report FILE``. The report file
belongs to the grader; a check that never wrote its result there counts as failed, so an
answer that exits, hangs or crashes cannot earn points it did not show.
"""

from __future__ import annotations

import json
import re
import signal
from dataclasses import dataclass, field
from pathlib import Path

from mmgen import exhibits
from mmgen.catalog import Exercise
from mmgen.exhibits import Exhibit
from mmgen.integrity import ExpectedCheck, exercise_checks
from mmgen.protocol import PROTOCOL_VERSION, Event, FailureKind, Outcome, Status


@dataclass
class Check:
    name: str
    points: int
    outcome: Outcome = Outcome.FAILED
    earned: int = 0
    message: str = ""
    kind: str = ""
    traceback: str = ""
    seconds: float = 0.0
    training: bool = False
    index: int = 0  # position in the check file
    hint: int = 0  # the exercise's hint that fits this check's failure (1-based; 0: none named)
    hidden: bool = False  # from a check file kept outside the repository


@dataclass
class Result:
    slug: str
    title: str
    status: str
    seconds: float
    checks: list[Check] = field(default_factory=list)
    reason: str = ""
    output: str = ""
    flags: list[str] = field(default_factory=list)  # why a person should review this result (see flag())
    server_lost: bool = False  # the grading server died under it (see server_stopped()): graded again once
    cpu_seconds: float = 0.0  # user + system time of the grading children (their checks, collection and start-up)
    exhibits: list[Exhibit] = field(default_factory=list)  # what the answer's model produced: shown, never judged

    @property
    def points(self) -> int:
        """Points awarded: none while the result is flagged for review."""
        return 0 if self.flags else self.earned

    @property
    def earned(self) -> int:
        """Points the checks reported as earned (what a reviewer who clears a flagged result would award)."""
        return sum(c.earned for c in self.checks)

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.checks)

    @property
    def passed(self) -> int:
        return sum(c.outcome == Outcome.PASSED for c in self.checks)


CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (newlines and tabs stay):
    safe to print, and valid in XML."""
    return CONTROL.sub("", text)


def display_name(check_name: str) -> str:
    """``test_losses_average_over_the_batch`` -> ``losses average over the batch``."""
    return check_name.removeprefix("test_").replace("_", " ")


def read_events(path: Path) -> list[dict]:
    """Events the child wrote; a torn last line (the child died mid-write) is dropped."""
    events = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                pass
    return events


def exit_description(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def summarise(exercise: Exercise, expected: list[ExpectedCheck], events: list[dict], returncode: int | None,
              seconds: float, limit: float) -> Result:
    """Turn the child's events and fate into a result for the ``expected`` checks (read from the
    check file, never from the child); unreported checks fail with the reason, and events that
    contradict the check file flag the result."""
    result = Result(exercise.slug, exercise.title, Status.FAILED, seconds, checks_of(expected))
    checks = {c.name: c for c in result.checks}
    broken = next((e for e in events if e.get("event") == Event.BROKEN), None)
    collected = next((e for e in events if e.get("event") == Event.COLLECTED), None)
    if broken is not None:
        result.status = Status.CRASHED
        result.reason = f"the checks could not be loaded, a fault of the grader, not of your answer: {broken.get('message', '')}"
        return unreported(result, checks.values(), result.reason)
    if collected is None:
        fate = f"timed out after {limit:g} s" if returncode is None else exit_description(returncode)
        result.status = Status.TIMED_OUT if returncode is None else Status.CRASHED
        result.reason = f"the checks could not start ({fate})"
        return unreported(result, checks.values(), result.reason)
    suspicious = []
    if collected.get("version") != PROTOCOL_VERSION:
        suspicious.append(f"the grading child spoke protocol {collected.get('version')!r}, not {PROTOCOL_VERSION}")
    declared = [(c.get("name"), c.get("points")) for c in collected.get("checks", [])]
    if declared != [(c.name, c.points) for c in expected]:
        suspicious.append("the grading child reported another list of checks than the check file declares")
    reported, running, note = set(), None, ""
    for event in events:
        kind, name = event.get("event"), event.get("name")
        if kind == Event.START:
            running = name
        elif kind == Event.NOTE:
            note = str(event.get("text", ""))
        elif kind == Event.RESULT:
            if name not in checks or name in reported:
                suspicious.append(f"the grading child reported a result for `{name}` that the check file does not "
                                  + ("declare" if name not in checks else "declare twice"))
                continue
            check = checks[name]
            check.outcome = Outcome.PASSED if event.get("outcome") == Outcome.PASSED else Outcome.FAILED
            check.earned = check.points if check.outcome == Outcome.PASSED else 0
            check.message, check.kind = printable(str(event.get("message", ""))), str(event.get("kind", ""))
            check.traceback = printable(str(event.get("traceback", "")))
            check.seconds = float(event.get("seconds", 0.0))
            reported.add(name)
        elif kind == Event.EXHIBIT:
            shown = exhibits.parse(event, checks)
            if shown is None or len(result.exhibits) == exhibits.MAX_PER_EXERCISE:
                suspicious.append("the grading child reported a malformed exhibit, or too many")
            else:
                result.exhibits.append(shown)
    missing = [c for c in result.checks if c.name not in reported]
    if missing:
        if returncode is None:
            result.status, fate = Status.TIMED_OUT, f"timed out after {limit:g} s"
        else:
            result.status, fate = Status.CRASHED, f"the process exited before reporting ({exit_description(returncode)})"
        where = f" while {note}" if note else ""
        if running in checks and running not in reported:
            where += f" during check `{display_name(running)}`"
        result.reason = fate + where
        unreported(result, missing, result.reason)
    else:
        result.status = status_of(result.checks)
    return flag(result, suspicious)


def checks_of(expected: list[ExpectedCheck]) -> list[Check]:
    """Fresh, failed results for the declared checks."""
    return [Check(c.name, c.points, training=c.training, index=c.index, hint=c.hint, hidden=c.hidden) for c in expected]


def unreported(result: Result, checks, reason: str) -> Result:
    """Mark ``checks`` as never reported, for ``reason``; the result, for chaining."""
    for check in checks:
        check.kind, check.message = FailureKind.UNREPORTED, reason
    return result


def flag(result: Result, reasons: list[str]) -> Result:
    """Mark a result for review by a person: its status becomes "flagged" and the reasons are kept.

    A flagged result keeps the points its checks earned, so the reviewer sees them, but it never
    counts as passed: the exit status says so, and progress does not record it.
    """
    if reasons:
        result.flags.extend(reason for reason in reasons if reason not in result.flags)
        result.status = Status.FLAGGED
    return result


def status_of(checks: list[Check]) -> str:
    """The status of checks that all reported: passed, not started (nothing implemented) or failed.
    No checks at all is a failure: nothing was shown to work."""
    if not checks:
        return Status.FAILED
    if all(c.outcome == Outcome.PASSED for c in checks):
        return Status.PASSED
    if all(c.kind == FailureKind.NOT_IMPLEMENTED for c in checks):
        return Status.NOT_STARTED
    return Status.FAILED


def merge(exercise: Exercise, parts: list[Result]) -> Result:
    """One result from the results of an exercise's parts: checks in file order, the worst fate."""
    result = Result(exercise.slug, exercise.title, Status.FAILED, max(p.seconds for p in parts))
    result.cpu_seconds = sum(p.cpu_seconds for p in parts)
    result.checks = sorted((c for p in parts for c in p.checks), key=lambda c: c.index)
    result.output = "\n".join(p.output for p in parts if p.output)
    result.server_lost = any(p.server_lost for p in parts)
    result.exhibits = [shown for p in parts for shown in p.exhibits]
    fates = [p for p in parts if p.status in (Status.TIMED_OUT, Status.CRASHED)]
    if fates:
        result.status, result.reason = fates[0].status, "; ".join(dict.fromkeys(p.reason for p in fates))
    else:
        result.status = status_of(result.checks)
    return flag(result, [reason for p in parts for reason in p.flags])


def never_ran(exercise: Exercise, expected: list[ExpectedCheck], status: Status, reason: str) -> Result:
    """A result whose checks all went unreported for ``reason``: their points still count in the total."""
    result = Result(exercise.slug, exercise.title, status, 0.0, checks_of(expected), reason)
    return unreported(result, result.checks, reason)


def server_stopped(exercise: Exercise, expected: list[ExpectedCheck], why: str) -> Result:
    """The result when the grading server itself failed (not the learner's doing)."""
    result = never_ran(exercise, expected, Status.CRASHED, f"the grading server stopped, so the checks could not run: {why}")
    result.server_lost = True
    return result


def refused(exercise: Exercise, problem: str) -> Result:
    """The result for an answer file the grader will not run: flagged."""
    return flag(never_ran(exercise, exercise_checks(exercise), Status.FAILED, f"not graded: {problem}"), [problem])


def missing(exercise: Exercise, answers: Path) -> Result:
    """The result for an exercise without an answer file: not started, nothing run."""
    reason = f"{answers / exercise.slug}.py does not exist: copy exercises/{exercise.slug}.py there and answer in it"
    return never_ran(exercise, exercise_checks(exercise), Status.NOT_STARTED, reason)
