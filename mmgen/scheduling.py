"""Scheduling: grade exercises in parallel, one child per exercise (two, training and the other
checks, when cores are spare), each within its time limit, and flag what the trusted side saw."""

from __future__ import annotations

import os
import queue
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from mmgen.catalog import REPO, Exercise
from mmgen.display import Progress
from mmgen.integrity import (ANSWER_READ_LIMIT, ExpectedCheck, answer_file_problem, changed_files, exercise_checks, fingerprint,
                             read_answer_text, tamper_findings)
from mmgen.limits import STARTUP_SECONDS, kill_group
from mmgen.results import Result, flag, merge, missing, read_events, refused, server_stopped, summarise
from mmgen.sandbox import policy
from mmgen.supervision import Servers, Zygote, learner_output, tripped
from mmgen.tripwire import TRIPPED_EXIT


def grade_one(exercise: Exercise, answers: Path, workdir: Path, limit: float, zygote: Zygote,
              parts: tuple[str, ...] = ("all",), threads: int = 0) -> Result:
    """Run one exercise's checks in fresh, limited children, one per part ("all", or "training"
    and "other" side by side), each with ``threads`` TensorFlow threads (0: its default); each
    part's clock starts when its child does."""
    declared = exercise_checks(exercise)
    started = [start_part(exercise, answers, workdir, part, zygote, threads) for part in parts]
    results = [finish_part(exercise, of_part(declared, part), *files, limit) for part, files in zip(parts, started)]
    return results[0] if len(results) == 1 else merge(exercise, results)


def of_part(checks: list[ExpectedCheck], part: str) -> list[ExpectedCheck]:
    """The checks a child running ``--part part`` runs: all, the training ones, or the others."""
    return checks if part == "all" else [c for c in checks if c.training == (part == "training")]


def start_part(exercise: Exercise, answers: Path, workdir: Path, part: str, zygote: Zygote, threads: int) -> tuple[queue.Queue, Path, Path]:
    """Ask the server for a child running ``part`` of the checks; its mailbox, report and output files."""
    report, output = workdir / f"{exercise.slug}.{part}.jsonl", workdir / f"{exercise.slug}.{part}.out"
    scratch = workdir / f"{exercise.slug}.{part}"
    scratch.mkdir()
    report.touch()
    argv = [
        *map(str, exercise.check_files), "--answers", str(answers), "--report", str(report), "--part", part, "--threads", str(threads),
        "-p", "no:terminal", "-p", "no:cacheprovider", "-s",
        # These two run gc.collect repeatedly at exit: half a second per exercise, after every result is in.
        "-p", "no:unraisableexception", "-p", "no:threadexception",
        "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"),
        # A hidden check file has its exercise's module name: import each by its path.
        *(["--import-mode=importlib"] if exercise.hidden_checks else []),
    ]
    rules = policy(REPO, answers, scratch, exercise.check_files, report)
    return zygote.start(f"{exercise.slug}:{part}", argv, rules, output), report, output


def finish_part(exercise: Exercise, expected: list[ExpectedCheck], mailbox: queue.Queue, report: Path, output: Path,
                limit: float) -> Result:
    """Wait for a part's child to end, or kill it ``limit`` seconds after it started; its result."""
    try:
        started = mailbox.get(timeout=STARTUP_SECONDS)
    except queue.Empty:
        started = {"died": f"no child after {STARTUP_SECONDS} s"}
    if "died" in started:
        return server_stopped(exercise, expected, started["died"])
    try:
        ended = mailbox.get(timeout=max(0.0, started["at"] + limit - time.monotonic()))
    except queue.Empty:
        ended = None
    kill_group(started["pid"])  # the child, if it is still running, and anything it started
    if ended is None:
        ended, returncode, seconds = mailbox.get(), None, time.monotonic() - started["at"]  # the server reaps the killed child
    elif "died" in ended:
        return server_stopped(exercise, expected, ended["died"])
    else:
        returncode, seconds = ended["returncode"], ended["at"] - started["at"]
    result = summarise(exercise, expected, read_events(report), returncode, seconds, limit)
    result.cpu_seconds = ended["cpu_milliseconds"] / 1000
    result.output = learner_output(output) if output.exists() else ""
    return flag(result, [tripped(output)] if returncode == TRIPPED_EXIT else [])


def grade(exercises: list[Exercise], answers: Path, time_limit: float | None = None, zygote: Zygote | None = None,
          progress_stream: TextIO = sys.stderr) -> list[Result]:
    """Grade exercises in parallel, up to one per core; results in the order given.

    With at least two cores per exercise (grading one exercise on two cores, as watch mode does),
    each exercise's training checks and its other checks run side by side in two children.
    Pass a ``zygote`` to reuse one across calls (watch mode); otherwise one is started and stopped here.
    """
    cores = os.cpu_count() or 1
    parts = ("training", "other") if cores >= 2 * len(exercises) else ("all",)
    workers = max(1, min(cores, len(exercises)))
    # One TensorFlow thread per child while more children wait than there are cores (they keep
    # every core busy); otherwise TensorFlow's default, so that a part that outlasts the other uses both cores.
    threads = 1 if len(exercises) * len(parts) > cores else 0
    progress = Progress(len(exercises), progress_stream)
    checkout = fingerprint(REPO)
    servers = Servers(zygote)
    # An answer may leave files the grader cannot delete: that must not cost the report.
    with tempfile.TemporaryDirectory(prefix="grade-", ignore_cleanup_errors=True) as tmp:

        def attempt(exercise: Exercise, server: Zygote, tries: int = 2) -> Result:
            """Grade in a fresh work folder; once more, on a fresh server, if the server died under it."""
            workdir = Path(tempfile.mkdtemp(prefix=f"{exercise.slug}-", dir=tmp))
            result = grade_one(exercise, answers, workdir, time_limit or exercise.time_limit, server, parts, threads)
            return attempt(exercise, servers.replace(server), tries - 1) if result.server_lost and tries > 1 else result

        def run(exercise: Exercise) -> Result:
            progress.started(exercise.slug)
            problem = answer_file_problem(answers, exercise.slug)
            if problem:
                result = refused(exercise, problem)
            elif not (answers / f"{exercise.slug}.py").exists():
                result = missing(exercise, answers)
            else:
                result = flag(attempt(exercise, servers.current), answer_findings(answers / f"{exercise.slug}.py"))
            progress.finished(result)
            return result

        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            results = list(pool.map(run, exercises))
        except KeyboardInterrupt:
            servers.close_all()  # the server kills the running children, so every worker returns at once
            raise
        finally:
            pool.shutdown()
            progress.close()
    servers.close_started()
    changed = changed_files(checkout, fingerprint(REPO))
    for result in results:
        flag(result, [f"the checkout changed while grading: {', '.join(changed[:5])}"] if changed else [])
    return results


def answer_findings(path: Path) -> list[str]:
    """What the tamper scan found in an answer file (nothing for a missing one); a file too large
    or unreadable to scan is itself a finding."""
    if not path.exists():
        return []
    source = read_answer_text(path)
    if source is None:
        return [f"{path.name} could not be scanned (unreadable, or larger than {ANSWER_READ_LIMIT} bytes)"]
    return [f"{path.name}, {finding}" for finding in tamper_findings(source)]
