"""The command line of grade.py: grading, hints, progress, watch mode and mock interviews."""

from __future__ import annotations

import argparse
import functools
import json
import math
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from mmgen import answer_files, practice, preflight
from mmgen.catalog import REPO, Exercise, load_catalog
from mmgen.explain import explain
from mmgen.protocol import Status
from mmgen.render import details, junit_text, table, to_json
from mmgen.results import Result
from mmgen.sandbox import missing_layers
from mmgen.scheduling import grade
from mmgen.supervision import Zygote

POLL_SECONDS = 1.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="grade.py", description="Grade multimodal-generation exercises.",
        epilog="Also: python grade.py mock [--minutes 45] [--seed N] [--wait] [--restart] | mock --finish; "
               "python grade.py explain SLUG; python grade.py solution SLUG [--force]; python grade.py reset SLUG",
    )
    parser.add_argument("slugs", nargs="*", metavar="SLUG", help="exercises to grade (default: all)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--answers", metavar="DIR", help="folder of answers laid out like exercises/ (default: exercises/)")
    source.add_argument("--solutions", action="store_true", help="grade the reference solutions")
    source.add_argument("--notebooks", nargs="?", const=str(REPO / "notebooks"), metavar="DIR",
                        help="grade the answer cells of the notebooks in DIR (default: notebooks/)")
    parser.add_argument("--list", action="store_true", help="list the exercises and exit")
    parser.add_argument("--hint", metavar="SLUG", help="show the next hint of an exercise (gentle first) and exit")
    parser.add_argument("--all", action="store_true", help="with --hint: show every hint seen so far again")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    parser.add_argument("--junit", metavar="PATH", help="also write the results as JUnit XML")
    parser.add_argument("--time-limit", type=preflight.seconds, metavar="SECONDS",
                        help="override every exercise's time limit (at least 1 s)")
    parser.add_argument("--watch", action="store_true", help="re-grade an exercise each time its answer is saved (Ctrl-C stops)")
    parser.add_argument("--reset-progress", action="store_true", help="forget remembered results, hints and mock interviews")
    parser.add_argument("-v", "--verbose", action="store_true", help="show passed checks and full tracebacks")
    return parser.parse_args(argv)


def answers_folder(args: argparse.Namespace) -> Path:
    """The folder of .py answers chosen on the command line (not for --notebooks)."""
    return Path(args.answers) if args.answers else REPO / ("solutions" if args.solutions else "exercises")


@functools.cache
def announce_confinement() -> None:
    """Say once, in one line, when this machine cannot confine the answers (see mmgen.sandbox)."""
    missing = missing_layers()
    if missing:
        print(f"answers run unconfined here: {'; '.join(missing)}", file=sys.stderr)


def grade_selected(exercises: list[Exercise], args: argparse.Namespace, zygote: Zygote | None = None) -> list[Result]:
    """Grade from the chosen source: a folder of .py answers or the notebooks' answer cells."""
    announce_confinement()
    if not args.notebooks:
        print(f"grading {len(exercises)} exercise(s) in {answers_folder(args).resolve()}", file=sys.stderr)
        return grade(exercises, answers_folder(args).resolve(), args.time_limit, zygote)
    from mmgen.notebooks import write_answers_from_notebooks  # nbformat, only when grading notebooks

    with tempfile.TemporaryDirectory(prefix="answers-from-notebooks-") as extracted:
        write_answers_from_notebooks(Path(args.notebooks), [e.slug for e in exercises], Path(extracted))
        print(f"grading {len(exercises)} exercise(s) from the notebooks in {Path(args.notebooks).resolve()}", file=sys.stderr)
        results = grade(exercises, Path(extracted), args.time_limit, zygote)
    for result in results:  # point at the notebook the learner edits, not the file extracted from it
        for check in result.checks:
            check.message = check.message.replace(str(Path(extracted) / f"{result.slug}.py"), edit_in(result.slug, args))
    return results


def edit_in(slug: str, args: argparse.Namespace) -> str:
    """What the learner edits to answer ``slug``: the notebook's answer cells, or the .py file."""
    return f"the answer cells of {Path(args.notebooks) / slug}.ipynb" if args.notebooks else f"{slug}.py"


def write_atomically(path: Path, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename over it."""
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
        handle.write(text)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(handle.name, 0o666 & ~umask)  # as a plain open() would have made it
    os.replace(handle.name, path)


def report(results: list[Result], catalog: dict[str, Exercise], args: argparse.Namespace) -> None:
    """Print details and the table; write --json and --junit files."""
    for result in results:
        text = details(result, catalog[result.slug], args.verbose, edit_in(result.slug, args))
        if text:
            print(text + "\n")
    print(table(results))
    if args.json:
        write_atomically(Path(args.json), json.dumps(to_json(results), indent=2) + "\n")
    if args.junit:
        write_atomically(Path(args.junit), junit_text(results))


def watched_file(exercise: Exercise, args: argparse.Namespace) -> Path:
    """The file whose saves trigger re-grading: the answer module or the notebook."""
    if args.notebooks:
        return Path(args.notebooks) / f"{exercise.slug}.ipynb"
    return answers_folder(args) / f"{exercise.slug}.py"


def watch(exercises: list[Exercise], catalog: dict[str, Exercise], args: argparse.Namespace) -> int:
    """Grade once, then re-grade an exercise whenever its answer file is saved; Ctrl-C stops.

    One grading server (TensorFlow imported once) serves every re-grade, so each takes only its checks' time.
    """
    zygote = Zygote()
    results = {r.slug: r for r in grade_selected(exercises, args, zygote)}
    report(list(results.values()), catalog, args)
    if is_own_work(args):
        print(practice.record(list(results.values()), catalog))
    seen = {e.slug: practice.mtime(watched_file(e, args)) for e in exercises}
    print(f"\nwatching {len(exercises)} answer file(s); save one to re-grade it, Ctrl-C to stop", flush=True)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            for exercise in exercises:
                now = practice.mtime(watched_file(exercise, args))
                if now != seen[exercise.slug]:
                    seen[exercise.slug] = now
                    (fresh,) = grade_selected([exercise], args, zygote)
                    print("\n".join(practice.changes(results[exercise.slug], fresh)), flush=True)
                    results[exercise.slug] = fresh
                    if is_own_work(args):
                        print(practice.record([fresh], catalog), flush=True)
    except KeyboardInterrupt:
        print("\nstopped watching")
        return 0
    finally:
        zygote.close()


def start_mock(catalog: dict[str, Exercise], minutes: float, seed: int | None) -> int:
    """Draw the questions, remember the start time, and show the questions."""
    state = practice.load_state()
    seed = random.SystemRandom().randrange(10_000) if seed is None else seed
    questions = practice.draw(catalog, state.get("best", {}), seed)
    state["mock"] = {"slugs": [e.slug for e in questions], "started": time.time(), "minutes": minutes, "seed": seed}
    practice.save_state(state)
    print(f"mock interview (seed {seed}): {len(questions)} question(s), {minutes:g} minutes; the clock runs from now\n")
    for number, exercise in enumerate(questions, 1):
        question = practice.docstring_section(REPO / "exercises" / f"{exercise.slug}.py", "Interview question")
        print(f"Question {number} ({exercise.kind}): {exercise.title}\n{question}\n   answer in exercises/{exercise.slug}.py\n")
    print("When you are done: python grade.py mock --finish")
    return 0


def finish_mock(catalog: dict[str, Exercise]) -> int:
    """Grade the drawn questions, show the time used and the model answers to say aloud."""
    mock = practice.load_state().get("mock")
    if not mock:
        print("no mock interview is running: start one with python grade.py mock")
        return 2
    args = parse_args(mock["slugs"])
    exercises = [catalog[s] for s in mock["slugs"]]
    results = grade_selected(exercises, args)
    report(results, catalog, args)
    print(practice.record(results, catalog))
    used = (time.time() - mock["started"]) / 60
    print(f"\ntime used: {used:.1f} of {mock['minutes']:g} minutes" + (" (over time)" if used > mock["minutes"] else ""))
    for exercise in exercises:
        saved = practice.mtime(answers_folder(args) / f"{exercise.slug}.py")
        touched = saved is not None and saved > mock["started"]
        print(f"   {exercise.slug}: " + (f"last saved {(saved - mock['started']) / 60:.1f} min in" if touched else "not touched"))
    for exercise in (e for e in exercises if e.kind == "conceptual"):  # the spoken part of the interview
        if sys.stdin.isatty():
            print("\nNow say your answer to the conceptual question aloud, as in the interview.")
            explain(exercise)
        else:
            print(f"\nthe spoken part of {exercise.slug}: python grade.py explain {exercise.slug}")
    for exercise in exercises:
        answer = practice.docstring_section(REPO / "solutions" / f"{exercise.slug}.py", "Model answer")
        print(f"\nModel answer to say aloud, {exercise.title}:\n{answer}")
    state = practice.load_state()
    del state["mock"]
    practice.save_state(state)
    return 0 if all(r.status == Status.PASSED for r in results) else 1


def wait_for_mock(catalog: dict[str, Exercise]) -> int:
    """Keep the terminal until the mock interview's time is up, then grade it as ``--finish`` does."""
    mock = practice.load_state()["mock"]
    deadline = mock["started"] + 60 * mock["minutes"]
    print("the answers are graded when the time is up (Ctrl-C stops waiting; the clock keeps running)", flush=True)
    shown = None
    try:
        while (left := deadline - time.time()) > 0:
            minutes = math.ceil(left / 60)
            if minutes != shown:
                print(f"{minutes} min left", flush=True)
                shown = minutes
            time.sleep(min(POLL_SECONDS, left))
    except KeyboardInterrupt:
        print("\nstopped waiting; finish when you are done: python grade.py mock --finish")
        return 0
    print("time is up", flush=True)
    return finish_mock(catalog)


def mock_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade.py mock", description="A timed mock interview: one conceptual and one coding question.")
    parser.add_argument("--minutes", type=preflight.minutes, default=45.0, help="time for the whole interview (default 45)")
    parser.add_argument("--seed", type=int, help="draw reproducibly")
    parser.add_argument("--finish", action="store_true", help="grade the drawn questions and show the model answers")
    parser.add_argument("--wait", action="store_true", help="stay open and grade by itself when the time is up")
    parser.add_argument("--restart", action="store_true", help="start a new interview even if one is running")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.finish:
        return finish_mock(catalog)
    running = practice.load_state().get("mock")
    if running and not args.wait and not args.restart and not confirmed_restart(running):
        return 2
    if not (args.wait and running):
        start_mock(catalog, args.minutes, args.seed)
    return wait_for_mock(catalog) if args.wait else 0


def confirmed_restart(running: dict) -> bool:
    """Whether the learner agrees to drop the running mock interview (asked on a terminal only)."""
    age = (time.time() - running["started"]) / 60
    question = f"a mock interview is running (started {age:.0f} min ago, {', '.join(running['slugs'])})"
    if not sys.stdin.isatty():
        print(f"grade.py: {question}: `python grade.py mock --finish` grades it, `python grade.py mock --restart` "
              "starts afresh", file=sys.stderr)
        return False
    return input(f"{question}; drop it and start a new one? [y/N] ").strip().lower() in ("y", "yes")


def explain_main(argv: list[str]) -> int:
    """``grade.py explain SLUG``: the question, your spoken answer, the checklist you tick."""
    parser = argparse.ArgumentParser(prog="grade.py explain", description="Answer an interview question aloud, then check it.")
    parser.add_argument("slug", metavar="SLUG")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.slug not in catalog:
        print(f"grade.py: {preflight.unknown_slug(args.slug, list(catalog))}", file=sys.stderr)
        return 2
    try:
        explain(catalog[args.slug])
    except EOFError:
        print("\nno answer read; nothing recorded", file=sys.stderr)
        return 2
    return 0


def solution_main(argv: list[str]) -> int:
    """``grade.py solution SLUG [--force]``: your answer against the reference, once you have passed."""
    parser = argparse.ArgumentParser(prog="grade.py solution", description="Compare your passed answer with the reference.")
    parser.add_argument("slug", metavar="SLUG")
    parser.add_argument("--force", action="store_true", help="show it before you have passed (after a warning)")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.slug not in catalog:
        print(f"grade.py: {preflight.unknown_slug(args.slug, list(catalog))}", file=sys.stderr)
        return 2
    passed = args.slug in practice.passed_slugs(practice.load_state().get("best", {}))
    if not passed and not args.force:
        print(f"grade.py: {args.slug} is not passed yet, so its reference stays closed: grade it (python grade.py "
              f"{args.slug}) or ask for a hint (python grade.py --hint {args.slug}); --force opens it anyway", file=sys.stderr)
        return 2
    if not passed:
        print(f"warning: {args.slug} is not passed yet; reading the reference now turns the exercise into reading", file=sys.stderr)
    print(answer_files.reference_diff(args.slug, REPO / "exercises" / f"{args.slug}.py"))
    return 0


def reset_main(argv: list[str]) -> int:
    """``grade.py reset SLUG``: the stub back in exercises/, your version kept as a backup."""
    parser = argparse.ArgumentParser(prog="grade.py reset", description="Put an exercise's stub back (your file is backed up).")
    parser.add_argument("slug", metavar="SLUG")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    if args.slug not in catalog:
        print(f"grade.py: {preflight.unknown_slug(args.slug, list(catalog))}", file=sys.stderr)
        return 2
    try:
        print(answer_files.reset(args.slug, REPO / "exercises" / f"{args.slug}.py"))
    except answer_files.AnswerFileError as exc:
        print(f"grade.py: {exc}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line; Ctrl-C stops it (and every grading child) with exit status 130."""
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130


def run(argv: list[str]) -> int:
    subcommands = {"mock": mock_main, "explain": explain_main, "solution": solution_main, "reset": reset_main}
    if argv[:1] and argv[0] in subcommands:
        return subcommands[argv[0]](argv[1:])
    args = parse_args(argv)
    catalog = load_catalog()
    if args.reset_progress:
        practice.reset()
        print("progress, hints and mock interview forgotten")
        return 0
    if args.list:
        print(catalogue_listing(catalog))
        return 0
    problem = setup_problem(args, list(catalog))
    if problem:
        print(f"grade.py: {problem}", file=sys.stderr)
        return 2
    if args.hint:
        print(practice.hints_seen(catalog[args.hint]) if args.all else practice.next_hint(catalog[args.hint]))
        return 0
    exercises = [catalog[s] for s in (args.slugs or catalog)]
    if args.watch:
        return watch(exercises, catalog, args)
    results = grade_selected(exercises, args)
    report(results, catalog, args)
    if is_own_work(args):
        print(practice.record(results, catalog))
    return 0 if all(r.status == Status.PASSED for r in results) else 1


def catalogue_listing(catalog: dict[str, Exercise]) -> str:
    """One line per exercise: slug, kind, difficulty, title, seed section, prerequisites."""
    lines = []
    for e in catalog.values():
        after = f"; after {', '.join(e.requires)}" if e.requires else ""
        lines.append(f"{e.slug:<22} {e.kind:<10} {'*' * e.difficulty:<3} {e.title}  [seed {e.seed}{after}]")
    return "\n".join(lines)


def setup_problem(args: argparse.Namespace, slugs: list[str]) -> str:
    """The first problem that stops grading before it starts, in one line ('' when there is none)."""
    unknown = [s for s in [*args.slugs, *([args.hint] if args.hint else [])] if s not in slugs]
    if unknown:
        return preflight.unknown_slug(unknown[0], slugs)
    if args.hint:
        return ""
    if args.notebooks:
        problem = preflight.folder_problem(Path(args.notebooks), "notebooks", slugs)
    else:
        problem = preflight.folder_problem(answers_folder(args), "answers", slugs)
    for option, path in (("--json", args.json), ("--junit", args.junit)):
        problem = problem or (preflight.output_problem(Path(path), option) if path else "")
    return problem or preflight.missing_dependency()


def is_own_work(args: argparse.Namespace) -> bool:
    """Whether the graded answers are the learner's own (exercises/ or the repository's notebooks):
    only those results go into their progress."""
    if args.notebooks:
        return Path(args.notebooks).resolve() == (REPO / "notebooks").resolve()
    return not args.answers and not args.solutions
