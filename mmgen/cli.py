"""The command line of grade.py: argument parsing and dispatch to the subcommands.

    grade.py [check] [SLUG ...] [options]   grade (the default subcommand)
    grade.py watch SLUG ...                 re-grade on every save (mmgen.watch)
    grade.py hint SLUG [--all]              the next hint, or all seen so far
    grade.py list                           the catalogue
    grade.py mock [start|finish|wait]       a timed mock interview (mmgen.mock)
    grade.py explain | solution | reset SLUG
    grade.py batch ROOT [SLUG ...]          a class of candidates into a gradebook (mmgen.gradebook)
    grade.py gradebook merge A.json ...     join the gradebooks of several shards

The flags of earlier versions (--watch, --hint SLUG, --list, mock --finish) stay as aliases.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path

from mmgen import answer_files, api, gradebook, mock, practice, preflight
from mmgen.catalog import REPO, Exercise, load_catalog
from mmgen.explain import explain
from mmgen.integrity import exercise_checks
from mmgen.output import Output, show
from mmgen.paths import Layout
from mmgen.protocol import Status
from mmgen.sandbox import missing_layers
from mmgen.watch import watch


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


@functools.cache
def announce_confinement() -> None:
    """Say once, in one line, when this machine cannot confine the answers (see mmgen.sandbox)."""
    missing = missing_layers()
    if missing:
        print(f"answers run unconfined here: {'; '.join(missing)}", file=sys.stderr)


def mock_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="grade.py mock", description="A timed mock interview: one conceptual and one coding question.")
    parser.add_argument("action", nargs="?", choices=("start", "finish", "wait"),
                        help="start (the default), finish (grade and show the model answers), or wait (start if needed, "
                             "then grade when the time is up)")
    parser.add_argument("--minutes", type=preflight.minutes, default=45.0, help="time for the whole interview (default 45)")
    parser.add_argument("--seed", type=int, help="draw reproducibly")
    parser.add_argument("--finish", action="store_true", help="the same as `mock finish`")
    parser.add_argument("--wait", action="store_true", help="the same as `mock wait`")
    parser.add_argument("--restart", action="store_true", help="start a new interview even if one is running")
    args = parser.parse_args(argv)
    catalog = load_catalog()
    action = args.action or ("finish" if args.finish else "wait" if args.wait else "start")
    if action == "finish":
        return mock.finish(catalog)
    running = practice.load_state().get("mock")
    if action == "wait" and running:
        return mock.wait(catalog)
    if running and not args.restart and not mock.confirmed_restart(running):
        return 2
    mock.start(catalog, args.minutes, args.seed)
    return mock.wait(catalog) if action == "wait" else 0


def one_exercise(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace | None:
    """Parse a subcommand that takes one SLUG; None (after saying why) when it is not in the catalogue."""
    parser.add_argument("slug", metavar="SLUG")
    args = parser.parse_args(argv)
    slugs = list(load_catalog())
    if args.slug not in slugs:
        print(f"grade.py: {preflight.unknown_slug(args.slug, slugs)}", file=sys.stderr)
        return None
    return args


def explain_main(argv: list[str]) -> int:
    """``grade.py explain SLUG``: the question, your spoken answer, the checklist you tick."""
    args = one_exercise(argparse.ArgumentParser(prog="grade.py explain", description="Answer an interview question aloud, then check it."), argv)
    if args is None:
        return 2
    try:
        explain(load_catalog()[args.slug])
    except EOFError:
        print("\nno answer read; nothing recorded", file=sys.stderr)
        return 2
    return 0


def solution_main(argv: list[str]) -> int:
    """``grade.py solution SLUG [--force]``: your answer against the reference, once you have passed."""
    parser = argparse.ArgumentParser(prog="grade.py solution", description="Compare your passed answer with the reference.")
    parser.add_argument("--force", action="store_true", help="show it before you have passed (after a warning)")
    args = one_exercise(parser, argv)
    if args is None:
        return 2
    passed = args.slug in practice.passed_slugs(practice.load_state().get("best", {}))
    if not passed and not args.force:
        print(f"grade.py: {args.slug} is not passed yet, so its reference stays closed: grade it (python grade.py "
              f"{args.slug}) or ask for a hint (python grade.py --hint {args.slug}); --force opens it anyway", file=sys.stderr)
        return 2
    if not passed:
        print(f"warning: {args.slug} is not passed yet; reading the reference now turns the exercise into reading", file=sys.stderr)
    print(answer_files.reference_diff(args.slug, Layout.for_slug(args.slug).stub))
    return 0


def reset_main(argv: list[str]) -> int:
    """``grade.py reset SLUG``: the stub back in exercises/, your version kept as a backup."""
    args = one_exercise(argparse.ArgumentParser(prog="grade.py reset", description="Put an exercise's stub back (your file is backed up)."), argv)
    if args is None:
        return 2
    try:
        print(answer_files.reset(args.slug, Layout.for_slug(args.slug).stub))
    except answer_files.AnswerFileError as exc:
        print(f"grade.py: {exc}", file=sys.stderr)
        return 2
    return 0


def batch_main(argv: list[str]) -> int:
    """``grade.py batch ROOT [SLUG ...] [--out DIR] [--shard K/N]``: grade every candidate folder under ROOT."""
    parser = argparse.ArgumentParser(prog="grade.py batch", description="Grade a class: every candidate folder under ROOT "
                                     "(each laid out like exercises/) into a gradebook and a report per candidate.")
    parser.add_argument("root", metavar="ROOT", help="folder of candidate folders")
    parser.add_argument("slugs", nargs="*", metavar="SLUG", help="exercises to grade (default: all)")
    parser.add_argument("--out", metavar="DIR", help="where the gradebook, reports and kept results go (default: ./gradebook, "
                        "or ./gradebook-K-of-N for a shard); a run that stopped resumes from what is kept there")
    parser.add_argument("--checks", metavar="DIR", help="add the hidden checks in DIR/test_<slug>.py (kept outside the "
                        "repository, same layout and plugin as tests/); reports name them without their messages")
    parser.add_argument("--shard", type=gradebook.Shard.parse, default=gradebook.Shard(), metavar="K/N",
                        help="grade only the K-th of N slices of the candidates (merge them with grade.py gradebook merge)")
    args = parser.parse_args(argv)
    catalog, root = load_catalog(), Path(args.root)
    unknown = [slug for slug in args.slugs if slug not in catalog]
    problem = (preflight.unknown_slug(unknown[0], list(catalog)) if unknown
               else f"no folder of candidates at {root}" if not root.is_dir()
               else f"no folder of hidden checks at {args.checks}" if args.checks and not Path(args.checks).is_dir()
               else preflight.missing_dependency())
    if problem:
        print(f"grade.py: {problem}", file=sys.stderr)
        return 2
    announce_confinement()
    out = Path(args.out or args.shard.default_out)
    exercises = gradebook.with_hidden_checks([catalog[s] for s in (args.slugs or catalog)], Path(args.checks) if args.checks else None)
    try:
        for exercise in exercises:
            exercise_checks(exercise)
    except (ValueError, SyntaxError) as exc:
        print(f"grade.py: {exc}", file=sys.stderr)
        return 2
    book = gradebook.grade_class(root, exercises, out, args.shard)
    print(f"{len(book['candidates'])} candidate(s) graded: {out / 'gradebook.csv'}, reports in {out / 'report'}; "
          f"{len(book['similar'])} pair(s) of answers look alike")
    return 0


def gradebook_main(argv: list[str]) -> int:
    """``grade.py gradebook merge A.json B.json ... [--out DIR]``: one gradebook from the shards'."""
    parser = argparse.ArgumentParser(prog="grade.py gradebook", description="Join the gradebooks of shards graded apart.")
    parser.add_argument("action", choices=("merge",))
    parser.add_argument("books", nargs="+", metavar="GRADEBOOK.json")
    parser.add_argument("--out", metavar="DIR", default="gradebook", help="where the merged gradebook goes (default: ./gradebook)")
    args = parser.parse_args(argv)
    try:
        book = gradebook.merge([json.loads(Path(path).read_text()) for path in args.books])
    except (OSError, ValueError, KeyError) as exc:
        print(f"grade.py: cannot merge: {exc}", file=sys.stderr)
        return 2
    gradebook.write_gradebook(book, Path(args.out))
    print(f"{len(book['candidates'])} candidate(s) in {Path(args.out) / 'gradebook.csv'}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """The command line; Ctrl-C stops it (and every grading child) with exit status 130."""
    try:
        return run(sys.argv[1:] if argv is None else argv)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (grade.py list | head): nothing is wrong
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


SUBCOMMANDS = ("check", "watch", "hint", "list", "mock", "explain", "solution", "reset", "batch", "gradebook")


def run(argv: list[str]) -> int:
    """Dispatch a subcommand; without one, ``check`` (today's flags keep working as aliases)."""
    command = argv[0] if argv[:1] and argv[0] in SUBCOMMANDS else "check"
    rest = argv[1:] if command != "check" or argv[:1] == ["check"] else argv
    special = {"mock": mock_main, "explain": explain_main, "solution": solution_main, "reset": reset_main,
               "batch": batch_main, "gradebook": gradebook_main}
    if command in special:
        return special[command](rest)
    args = parse_args(rest)
    args.watch = args.watch or command == "watch"
    args.list = args.list or command == "list"
    if command == "hint":
        if len(args.slugs) != 1:
            print("grade.py: hint takes one exercise: python grade.py hint SLUG [--all]", file=sys.stderr)
            return 2
        args.hint = args.slugs.pop()
    return check(args)


def check(args: argparse.Namespace) -> int:
    """Grade (or list, hint, forget progress, watch) as the options say."""
    catalog = load_catalog()
    if args.reset_progress:
        practice.reset()
        print("progress, hints and mock interview forgotten")
        return 0
    if args.list:
        print(catalogue_listing(catalog))
        return 0
    source = api.Source.of(args.answers, args.solutions, args.notebooks)
    problem = setup_problem(args, source, list(catalog))
    if problem:
        print(f"grade.py: {problem}", file=sys.stderr)
        return 2
    if args.hint:
        print(practice.hints_seen(catalog[args.hint]) if args.all else practice.next_hint(catalog[args.hint]))
        return 0
    exercises = [catalog[s] for s in (args.slugs or catalog)]
    output = Output(args.verbose, Path(args.json) if args.json else None, Path(args.junit) if args.junit else None)
    announce_confinement()
    if args.watch:
        return watch(exercises, catalog, source, output, args.time_limit)
    results = api.grade(args.slugs or None, source, args.time_limit)
    show(results, catalog, source, output)
    if source.own_work:
        print(practice.record(results, catalog))
    return 0 if all(r.status == Status.PASSED for r in results) else 1


def catalogue_listing(catalog: dict[str, Exercise]) -> str:
    """One line per exercise: slug, kind, difficulty, title, seed section, prerequisites."""
    lines = []
    for e in catalog.values():
        after = f"; after {', '.join(e.requires)}" if e.requires else ""
        lines.append(f"{e.slug:<22} {e.kind:<10} {'*' * e.difficulty:<3} {e.title}  [seed {e.seed}{after}]")
    return "\n".join(lines)


def setup_problem(args: argparse.Namespace, source: api.Source, slugs: list[str]) -> str:
    """The first problem that stops grading before it starts, in one line ('' when there is none)."""
    unknown = [s for s in [*args.slugs, *([args.hint] if args.hint else [])] if s not in slugs]
    if unknown:
        return preflight.unknown_slug(unknown[0], slugs)
    if args.hint:
        return ""
    problem = source.problem(slugs)
    for option, path in (("--json", args.json), ("--junit", args.junit)):
        problem = problem or (preflight.output_problem(Path(path), option) if path else "")
    return problem or preflight.missing_dependency()
