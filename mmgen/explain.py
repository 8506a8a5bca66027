"""The spoken part of an interview question: the question, time to answer it aloud, then the
checklist of what a strong answer covers (from the reference's docstring), ticked by the learner
and kept in their progress beside the code score."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from mmgen import practice
from mmgen.catalog import Exercise
from mmgen.paths import Layout

CHECKLIST = re.compile(r"^Checklist[^\n]*\n((?:[ \t]+[^\n]*\n?)+)", flags=re.MULTILINE)


def checklist(slug: str) -> list[str]:
    """The points a strong spoken answer to ``slug`` covers (the reference's "Checklist" section)."""
    docstring = ast.get_docstring(ast.parse((Layout.for_slug(slug).solution).read_text(encoding="utf-8"))) or ""
    match = CHECKLIST.search(docstring)
    lines = match.group(1).splitlines() if match else []
    return [line.strip()[2:] for line in lines if line.strip().startswith("- ")]


def ticked(reply: str, count: int) -> set[int]:
    """The point numbers (1..count) named in a reply such as ``1 3, 4``; anything else is ignored."""
    return {int(word) for word in re.findall(r"\d+", reply) if 1 <= int(word) <= count}


def explain(exercise: Exercise, ask: Callable[[str], str] = input, say: Callable[[str], None] = print) -> tuple[int, int]:
    """Ask the question, wait for the spoken answer, show the checklist, record what was ticked;
    (points covered, points in the checklist)."""
    question = practice.docstring_section(Layout.for_slug(exercise.slug).stub, "Interview question")
    say(f"{exercise.title} ({exercise.kind})\n\n{question}\n")
    ask("Answer aloud (or type your answer), as in an interview; press Enter when you are done. ")
    points = checklist(exercise.slug)
    say("\nA strong answer covers:\n" + "\n".join(f"  {number}. {point}" for number, point in enumerate(points, 1)))
    covered = len(ticked(ask("\nWhich did you say? Their numbers, separated by spaces (Enter: none): "), len(points)))
    practice.record_spoken(exercise.slug, covered, len(points))
    say(f"\nspoken answer: {covered} of {len(points)} points covered (kept in your progress)")
    return covered, len(points)
