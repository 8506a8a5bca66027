"""Rendering results: the table, each exercise's details with the hints that fit, and the JSON
and JUnit reports."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mmgen.catalog import Exercise
from mmgen.protocol import REPORT_VERSION, FailureKind, Outcome, Status
from mmgen.results import Check, Result, display_name, printable


def table(results: list[Result]) -> str:
    """The final table: exercise, checks, points, seconds, status."""
    width = max([len("exercise"), *(len(r.slug) for r in results)])
    rows = [f"{'exercise':<{width}}  {'checks':>7}  {'points':>7}  {'seconds':>7}  status"]
    for r in results:
        rows.append(f"{r.slug:<{width}}  {f'{r.passed}/{len(r.checks)}':>7}  {f'{r.points}/{r.max_points}':>7}  {r.seconds:>7.1f}  {r.status}")
    total, most = sum(r.points for r in results), sum(r.max_points for r in results)
    rows.append(f"{'total':<{width}}  {'':>7}  {f'{total}/{most}':>7}")
    return "\n".join(rows)


def check_lines(result: Result, verbose: bool) -> list[str]:
    """The failed checks grouped by cause: each distinct message once, after the checks it failed
    (passed checks too, with ``verbose``, and then each failure's traceback)."""
    lines = [f"   [pass] {display_name(c.name)}" for c in result.checks if verbose and c.outcome == Outcome.PASSED]
    causes: dict[str, list[Check]] = {}
    for check in result.checks:
        if check.outcome != Outcome.PASSED:
            causes.setdefault(check.message if check.message != result.reason else "", []).append(check)
    for message, checks in causes.items():
        lost = sum(c.points for c in checks)
        names = [display_name(c.name) for c in checks]
        shown = names if verbose or len(names) <= 2 else [names[0], f"{len(names) - 1} more checks"]
        lines.append(f"   [fail] {' and '.join(shown) if len(shown) <= 2 else ', '.join(shown)} ({lost} pt{'s' if lost > 1 else ''})")
        lines.extend("          " + part for part in message.splitlines())
        if verbose:
            for check in checks:
                lines.extend("          | " + part for part in check.traceback.splitlines())
    return lines


HINTED_KINDS = (FailureKind.CHECK, FailureKind.ERROR)  # failures of the answer's logic (not a missing file, a stub or a crash)


def fitting_hints(result: Result, exercise: Exercise, most: int = 2) -> list[str]:
    """The hints that the checks the answer's logic failed name (in check order, at most ``most``),
    else the first hint; none when no check failed that way."""
    failed = [c for c in result.checks if c.outcome != Outcome.PASSED and c.kind in HINTED_KINDS]
    named = list(dict.fromkeys(c.hint for c in failed if 0 < c.hint <= len(exercise.hints)))[:most]
    if failed and exercise.hints and not named:
        named = [1]
    return [f"hint {n} of {len(exercise.hints)}: {exercise.hints[n - 1]}" for n in named]


def details(result: Result, exercise: Exercise, verbose: bool, edit_in: str = "") -> str:
    """What went wrong in one exercise, with the first hint and the learner's output; all with ``verbose``."""
    if result.status == Status.PASSED and not verbose:
        return ""
    lines = [f"== {result.slug}: {result.status} ({result.points}/{result.max_points} points) =="]
    if result.flags:
        lines.append(f"   flagged for review by a person: the checks reported {result.earned}/{result.max_points} points, "
                     "awarded only once someone has read the answer")
        lines.extend(f"   - {reason}" for reason in result.flags)
    if result.reason:
        lines.append(f"   {result.reason}")
    if result.status == Status.NOT_STARTED and not verbose:
        if not result.reason:
            lines.append(f"   every check met NotImplementedError: replace them in {edit_in or result.slug + '.py'}")
    else:
        lines.extend(check_lines(result, verbose))
    hints = fitting_hints(result, exercise)
    if hints:
        lines.extend(f"   {hint}" for hint in hints)
        lines.append(f"   (more hints, gentle first: python grade.py --hint {result.slug})")
    if result.output:
        lines.append("   output of your code:")
        lines.extend("   > " + part for part in result.output.splitlines())
    return "\n".join(lines)


def to_json(results: list[Result]) -> dict:
    return {
        "version": REPORT_VERSION,
        "points": sum(r.points for r in results),
        "max_points": sum(r.max_points for r in results),
        "exercises": [
            {
                "slug": r.slug, "title": r.title, "status": r.status, "reason": r.reason, "flags": r.flags,
                "points": r.points, "earned_if_cleared": r.earned, "max_points": r.max_points, "seconds": round(r.seconds, 3),
                "cpu_seconds": round(r.cpu_seconds, 3),
                "checks": [
                    {"name": c.name, "outcome": c.outcome, "points": c.earned, "max_points": c.points, "message": c.message,
                     "seconds": c.seconds, "training": c.training, "hidden": c.hidden}
                    for c in r.checks
                ],
                "exhibits": [shown.to_json() for shown in r.exhibits],
            }
            for r in results
        ],
    }


def to_junit(results: list[Result]) -> ET.Element:
    """JUnit XML: a suite per exercise, a testcase per check with the learner-facing message.

    A check that failed is a ``failure``; one that never reported (crash, time-out) is an
    ``error``; a flagged exercise has one more testcase, ``integrity``, failed with the reasons.
    Every text is printable (no escape sequences), so the file is valid XML.
    """
    suites = ET.Element("testsuites", name="grade")
    for r in results:
        suite = ET.SubElement(suites, "testsuite", name=r.slug, time=f"{r.seconds:.3f}")
        cases = [(c.name, c.seconds, junit_outcome(c)) for c in r.checks]
        if not r.checks:
            cases.append(("checks", 0.0, ("error", r.reason or "no checks ran")))
        if r.flags:
            cases.append(("integrity", 0.0, ("failure", "flagged for review: " + "; ".join(r.flags))))
        for name, seconds, (outcome, message) in cases:
            case = ET.SubElement(suite, "testcase", classname=r.slug, name=name, time=f"{seconds:.3f}")
            if outcome:
                ET.SubElement(case, outcome, message=printable(message)).text = printable(message)
        counts = [outcome for _, _, (outcome, _) in cases]
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(counts.count("failure")))
        suite.set("errors", str(counts.count("error")))
    for key in ("tests", "failures", "errors"):
        suites.set(key, str(sum(int(s.get(key, "0")) for s in suites)))
    return suites


def junit_text(results: list[Result]) -> str:
    """The JUnit report as the text of a file, declaration included."""
    root = to_junit(results)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def junit_outcome(check: Check) -> tuple[str, str]:
    """("", "") for a passed check; ("failure" or "error", message) otherwise."""
    if check.outcome == Outcome.PASSED:
        return "", ""
    return ("error" if check.kind == FailureKind.UNREPORTED else "failure"), check.message
