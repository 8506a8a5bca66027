"""Practice state: remembered progress, one hint at a time, what changed between gradings, mock draws.

State lives in ``.grade/state.json`` at the repository root (ignored by git), or in the
folder named by the environment variable ``GRADE_STATE_DIR``; never in the answers folder.
"""

from __future__ import annotations

import ast
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from mmgen.catalog import REPO, Exercise
from mmgen.integrity import expected_checks
from mmgen.protocol import Outcome, Status


def state_path() -> Path:
    return Path(os.environ.get("GRADE_STATE_DIR", REPO / ".grade")) / "state.json"


def load_state() -> dict:
    """The remembered state; a file that is not a JSON object is kept aside (and said so), not lost."""
    path = state_path()
    try:
        state = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (json.JSONDecodeError, UnicodeDecodeError):
        state = None
    if isinstance(state, dict):
        return state
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
    path.replace(aside)
    print(f"grade.py: the progress file {path} could not be read; it was kept as {aside.name} and progress starts afresh",
          file=sys.stderr)
    return {}


def save_state(state: dict) -> None:
    path = state_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")


def reset() -> None:
    state_path().unlink(missing_ok=True)


# --- progress -----------------------------------------------------------------------------


def record(results, catalog: dict[str, Exercise]) -> str:
    """Keep each exercise's best result; return the progress line with the next suggestion."""
    state = load_state()
    best = state.setdefault("best", {})
    for r in results:
        previous = best.get(r.slug)
        if previous is None or r.points > previous["points"] or r.status == Status.PASSED:
            best[r.slug] = {"points": r.points, "max_points": r.max_points, "status": r.status}
            if r.status == Status.PASSED:
                best[r.slug]["passed_at"] = time.time()  # for review: mock interviews revisit the oldest
        else:
            previous["max_points"] = r.max_points  # the checks may have changed since the best result
    save_state(state)
    return progress_line(best, catalog)


def record_spoken(slug: str, covered: int, points: int) -> None:
    """Keep the latest and the best spoken answer to an exercise's question (checklist points covered)."""
    state = load_state()
    spoken = state.setdefault("spoken", {})
    best = max(covered, spoken.get(slug, {}).get("best", 0))
    spoken[slug] = {"covered": covered, "points": points, "best": best, "at": time.time()}
    save_state(state)


def passed_slugs(best: dict) -> set[str]:
    return {slug for slug, result in best.items() if result["status"] == Status.PASSED}


def catalogue_points(catalog: dict[str, Exercise]) -> int:
    """The points of every check of every exercise, as the check files declare them."""
    return sum(check.points for exercise in catalog.values() for check in expected_checks(exercise.check_file))


def progress_line(best: dict, catalog: dict[str, Exercise]) -> str:
    """Exercises passed, best points out of the whole catalogue's, and what to do next."""
    done = passed_slugs(best)
    points = sum(result["points"] for slug, result in best.items() if slug in catalog)
    most = catalogue_points(catalog)
    line = f"progress: {len(done & set(catalog))} of {len(catalog)} exercises passed, best points so far {points}/{most}"
    spoken = {slug: answer for slug, answer in load_state().get("spoken", {}).items() if slug in catalog}
    if spoken:
        covered, out_of = sum(a["best"] for a in spoken.values()), sum(a["points"] for a in spoken.values())
        line += f", spoken answers {covered}/{out_of} checklist points over {len(spoken)} question(s)"
    upcoming = suggest_next(catalog, done)
    return line + (f"; next: {upcoming.slug} ({upcoming.title})" if upcoming else "; every exercise passed")


def suggest_next(catalog: dict[str, Exercise], passed: set[str]) -> Exercise | None:
    """The easiest exercise not passed whose prerequisites are passed (catalogue order breaks ties);
    None once every exercise is passed."""
    todo = [e for e in catalog.values() if e.slug not in passed]
    ready = [e for e in todo if set(e.requires) <= passed] or todo
    return min(ready, key=lambda e: e.difficulty) if ready else None


# --- hints --------------------------------------------------------------------------------


def hints_seen(exercise: Exercise) -> str:
    """Every hint shown so far for an exercise, again (it changes nothing)."""
    shown = load_state().get("hints", {}).get(exercise.slug, 0)
    if not shown:
        return f"no hint shown yet for {exercise.slug}: python grade.py --hint {exercise.slug}"
    total = len(exercise.hints)
    return "\n".join(f"hint {n} of {total} for {exercise.slug}: {exercise.hints[n - 1]}" for n in range(1, shown + 1))


def next_hint(exercise: Exercise) -> str:
    """The next hint not yet shown for an exercise (gentle first), or a note that none is left."""
    state = load_state()
    shown = state.setdefault("hints", {}).get(exercise.slug, 0)
    total = len(exercise.hints)
    if shown >= total:
        return f"no more hints for {exercise.slug}: all {total} shown (the reference answer is solutions/{exercise.slug}.py)"
    state["hints"][exercise.slug] = shown + 1
    save_state(state)
    return f"hint {shown + 1} of {total} for {exercise.slug}: {exercise.hints[shown]}"


# --- watch mode ---------------------------------------------------------------------------


def mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return None


def changes(before, after) -> list[str]:
    """What differs between two results of one exercise: points, status, checks that flipped."""
    lines = []
    if (before.points, before.status) != (after.points, after.status):
        lines.append(f"{after.slug}: {before.status} {before.points}/{before.max_points} -> {after.status} {after.points}/{after.max_points}")
    old = {c.name: c for c in before.checks}
    for check in after.checks:
        previous = old.get(check.name)
        if previous is None or previous.outcome != check.outcome or previous.message != check.message:
            mark = "now passing" if check.outcome == Outcome.PASSED else "failing"
            lines.append(f"   {mark}: {check.name.removeprefix('test_').replace('_', ' ')}")
            if check.outcome != Outcome.PASSED and check.message:
                lines.append(f"      {check.message}")
    return lines or [f"{after.slug}: no change ({after.status}, {after.points}/{after.max_points})"]


# --- mock interview -----------------------------------------------------------------------


def docstring_section(path: Path, heading: str) -> str:
    """The indented paragraph under ``heading`` in a module docstring ('' when absent)."""
    text = ast.get_docstring(ast.parse(path.read_text())) or ""
    match = re.search(rf"^{re.escape(heading)}[^\n]*\n((?:[ \t]+[^\n]*\n?|\n)+)", text, flags=re.MULTILINE)
    return "\n".join(line.strip() for line in match.group(1).strip("\n").splitlines()).strip() if match else ""


def draw(catalog: dict[str, Exercise], best: dict, seed: int) -> list[Exercise]:
    """One conceptual and one coding exercise: one not passed yet (drawn with ``seed``), or, once
    every exercise of that kind is passed, the one passed longest ago (for review)."""
    rng = random.Random(seed)
    passed = passed_slugs(best)
    picked = []
    for kind in ("conceptual", "coding"):
        of_kind = [e for e in catalog.values() if e.kind == kind]
        fresh = [e for e in of_kind if e.slug not in passed]
        if fresh:
            picked.append(rng.choice(fresh))
        elif of_kind:
            picked.append(min(of_kind, key=lambda e: best[e.slug].get("passed_at", 0.0)))
    return picked
