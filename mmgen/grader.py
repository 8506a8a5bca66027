"""Grade answer folders: one child process per exercise (two when cores are spare), isolated and time-limited.

Each child runs ``pytest tests/test_<slug>.py --answers DIR --report FILE``. The report file
belongs to the grader; a check that never wrote its result there counts as failed, so an
answer that exits, hangs or crashes cannot earn points it did not show.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mmgen.catalog import REPO, Exercise
from mmgen.integrity import (
    ExpectedCheck,
    answer_file_problem,
    changed_files,
    expected_checks,
    fingerprint,
    tamper_findings,
)
from mmgen.sandbox import Policy, policy
from mmgen.tripwire import TRIPPED_EXIT, TRIPPED_PREFIX

MEMORY_LIMIT_BYTES = 8 * 2**30  # address space of a grading child; TensorFlow's import fits well within it
STARTUP_SECONDS = 300  # for the grading server to import TensorFlow and fork a child
FILE_SIZE_LIMIT_BYTES = 256 * 2**20
OUTPUT_LINES = 20
OUTPUT_LINE_CHARS = 200
READ_BYTES = 64 * 1024  # of the child's output at a time
NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog"
    r"|[IWEF]\d{4} [\d:.]+\s+\d+ \S+:\d+\]"
    r"|To enable the following instructions"
    r"|.*oneDNN custom operations are on"
    r"|.*rebuild TensorFlow with the appropriate compiler flags"
    r"|WARNING:tensorflow:)"
)


@dataclass
class Check:
    name: str
    points: int
    outcome: str = "failed"
    earned: int = 0
    message: str = ""
    kind: str = ""
    traceback: str = ""
    seconds: float = 0.0
    training: bool = False
    index: int = 0  # position in the check file
    hint: int = 0  # the exercise's hint that fits this check's failure (1-based; 0: none named)


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
        return sum(c.outcome == "passed" for c in self.checks)


CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """``text`` without terminal escape sequences and control characters (newlines and tabs stay):
    safe to print, and valid in XML."""
    return CONTROL.sub("", text)


def display_name(check_name: str) -> str:
    """``test_losses_average_over_the_batch`` -> ``losses average over the batch``."""
    return check_name.removeprefix("test_").replace("_", " ")


def learner_output(path: Path) -> str:
    """The child's output without TensorFlow's start-up noise, shortened to the last lines (the
    count of the lines left out is over the whole output)."""
    last: collections.deque[str] = collections.deque(maxlen=OUTPUT_LINES)
    total = 0

    def take(start: bytes) -> None:
        nonlocal total
        line = printable(start.decode("utf-8", errors="replace").rstrip("\r\n"))
        if line.strip() and not NOISE.match(line):
            last.append(line if len(line) <= OUTPUT_LINE_CHARS else line[: OUTPUT_LINE_CHARS - 1] + "…")
            total += 1

    with open(path, "rb") as handle:
        start = None  # the first piece of the line being read (a line may be longer than one read)
        for piece in iter(lambda: handle.readline(READ_BYTES), b""):
            start = piece if start is None else start
            if piece.endswith(b"\n"):
                take(start)
                start = None
        if start is not None:
            take(start)
    shown = list(last)
    if total > OUTPUT_LINES:
        shown.insert(0, f"(last {OUTPUT_LINES} of {total} lines)")
    return "\n".join(shown)


def child_env() -> dict[str, str]:
    """Environment for a grading child: quiet TensorFlow, no bytecode, the repository importable."""
    env = dict(os.environ)
    env.update(
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
        PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # only our plugin (from conftest.py); no scan of installed ones
        PYTHONHASHSEED="0",
        PYTHONWARNINGS="ignore",
        PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        TF_CPP_MIN_LOG_LEVEL="2",
        KERAS_BACKEND="tensorflow",
        CUDA_VISIBLE_DEVICES="",
    )
    return env


def kill_group(pid: int) -> None:
    """Kill a grading child and everything in its session (the child alone if it has none yet)."""
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


class Zygote:
    """The grader's end of ``mmgen.zygote``: one process that imports TensorFlow once and forks a
    fresh, limited child per exercise. Safe to use from several threads."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (the server's stderr, read by failure(); closed with this object)
        self.process = subprocess.Popen(
            [sys.executable, "-B", "-m", "mmgen.zygote"], cwd=tempfile.gettempdir(), env=child_env(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True,
        )
        self.lock = threading.Lock()
        self.mailboxes: dict[str, queue.Queue] = {}
        self.dead = False
        self.garbled = 0  # lines on the server's pipe that were not its messages
        threading.Thread(target=self._dispatch, daemon=True).start()

    def _dispatch(self) -> None:
        """Hand each message from the server to the exercise it is about; on its death, tell them all."""
        for line in self.process.stdout:
            try:
                message = json.loads(line)
                mailbox = self.mailboxes[message["id"]]
                valid = sorted(message) in (["id", "pid"], ["id", "returncode"]) and all(
                    isinstance(message.get(key, 0), int) for key in ("pid", "returncode"))
            except (ValueError, KeyError, TypeError):
                valid = False
            if not valid:
                self.garbled += 1  # not one of the server's messages: ignored, and counted
                continue
            message["at"] = time.monotonic()
            mailbox.put(message)
        with self.lock:
            self.dead = True
            for mailbox in self.mailboxes.values():
                mailbox.put({"died": self.failure()})

    def failure(self) -> str:
        """Why the server stopped, from the last line it wrote."""
        self.log.seek(0)
        lines = [line for line in self.log.read().decode(errors="replace").splitlines() if line.strip() and not NOISE.match(line)]
        return lines[-1] if lines else f"it exited with {exit_description(self.process.wait())}"

    def start(self, name: str, argv: list[str], rules: Policy, output: Path) -> queue.Queue:
        """Ask for a child running ``pytest argv`` confined by ``rules``; its pid and then its return
        code arrive in the queue."""
        mailbox: queue.Queue = queue.Queue()
        with self.lock:
            self.mailboxes[name] = mailbox
            if self.dead:
                mailbox.put({"died": self.failure()})
                return mailbox
            request = {"id": name, "argv": argv, "policy": rules.to_json(), "output": str(output)}
            try:
                self.process.stdin.write((json.dumps(request) + "\n").encode())
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):
                pass  # the server is gone or closed: the dispatcher reports it
        return mailbox

    def close(self) -> None:
        """Stop the server (again is harmless); children still running are killed by it."""
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(self.process.pid)
            self.process.wait()


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
    result = Result(exercise.slug, exercise.title, "failed", seconds, checks_of(expected))
    checks = {c.name: c for c in result.checks}
    broken = next((e for e in events if e.get("event") == "broken"), None)
    collected = next((e for e in events if e.get("event") == "collected"), None)
    if broken is not None:
        result.status = "crashed"
        result.reason = f"the checks could not be loaded, a fault of the grader, not of your answer: {broken.get('message', '')}"
        return unreported(result, checks.values(), result.reason)
    if collected is None:
        fate = f"timed out after {limit:g} s" if returncode is None else exit_description(returncode)
        result.status = "timed out" if returncode is None else "crashed"
        result.reason = f"the checks could not start ({fate})"
        return unreported(result, checks.values(), result.reason)
    suspicious = []
    declared = [(c.get("name"), c.get("points")) for c in collected.get("checks", [])]
    if declared != [(c.name, c.points) for c in expected]:
        suspicious.append("the grading child reported another list of checks than the check file declares")
    reported, running, note = set(), None, ""
    for event in events:
        kind, name = event.get("event"), event.get("name")
        if kind == "start":
            running = name
        elif kind == "note":
            note = str(event.get("text", ""))
        elif kind == "result":
            if name not in checks or name in reported:
                suspicious.append(f"the grading child reported a result for `{name}` that the check file does not "
                                  + ("declare" if name not in checks else "declare twice"))
                continue
            check = checks[name]
            check.outcome = "passed" if event.get("outcome") == "passed" else "failed"
            check.earned = check.points if check.outcome == "passed" else 0
            check.message, check.kind = printable(str(event.get("message", ""))), str(event.get("kind", ""))
            check.traceback = printable(str(event.get("traceback", "")))
            check.seconds = float(event.get("seconds", 0.0))
            reported.add(name)
    missing = [c for c in result.checks if c.name not in reported]
    if missing:
        if returncode is None:
            result.status, fate = "timed out", f"timed out after {limit:g} s"
        else:
            result.status, fate = "crashed", f"the process exited before reporting ({exit_description(returncode)})"
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
    return [Check(c.name, c.points, training=c.training, index=c.index, hint=c.hint) for c in expected]


def unreported(result: Result, checks, reason: str) -> Result:
    """Mark ``checks`` as never reported, for ``reason``; the result, for chaining."""
    for check in checks:
        check.kind, check.message = "unreported", reason
    return result


def flag(result: Result, reasons: list[str]) -> Result:
    """Mark a result for review by a person: its status becomes "flagged" and the reasons are kept.

    A flagged result keeps the points its checks earned, so the reviewer sees them, but it never
    counts as passed: the exit status says so, and progress does not record it.
    """
    if reasons:
        result.flags.extend(reason for reason in reasons if reason not in result.flags)
        result.status = "flagged"
    return result


def status_of(checks: list[Check]) -> str:
    """The status of checks that all reported: passed, not started (nothing implemented) or failed.
    No checks at all is a failure: nothing was shown to work."""
    if not checks:
        return "failed"
    if all(c.outcome == "passed" for c in checks):
        return "passed"
    if all(c.kind == "not_implemented" for c in checks):
        return "not started"
    return "failed"


def grade_one(exercise: Exercise, answers: Path, workdir: Path, limit: float, zygote: Zygote,
              parts: tuple[str, ...] = ("all",), threads: int = 0) -> Result:
    """Run one exercise's checks in fresh, limited children, one per part ("all", or "training"
    and "other" side by side), each with ``threads`` TensorFlow threads (0: its default); each
    part's clock starts when its child does."""
    declared = expected_checks(exercise.check_file)
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
        str(exercise.check_file), "--answers", str(answers), "--report", str(report), "--part", part, "--threads", str(threads),
        "-p", "no:terminal", "-p", "no:cacheprovider", "-s",
        # These two run gc.collect repeatedly at exit: half a second per exercise, after every result is in.
        "-p", "no:unraisableexception", "-p", "no:threadexception",
        "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"),
    ]
    rules = policy(REPO, answers, scratch, exercise.check_file, report)
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
    result.output = learner_output(output) if output.exists() else ""
    return flag(result, [tripped(output)] if returncode == TRIPPED_EXIT else [])


def tripped(output: Path) -> str:
    """What the tripwire said before it ended the child (the last such line of its output)."""
    lines = [line for line in learner_output(output).splitlines() if line.startswith(TRIPPED_PREFIX)]
    return lines[-1].removeprefix(TRIPPED_PREFIX) if lines else "the child ended with the tripwire's exit status"


def merge(exercise: Exercise, parts: list[Result]) -> Result:
    """One result from the results of an exercise's parts: checks in file order, the worst fate."""
    result = Result(exercise.slug, exercise.title, "failed", max(p.seconds for p in parts))
    result.checks = sorted((c for p in parts for c in p.checks), key=lambda c: c.index)
    result.output = "\n".join(p.output for p in parts if p.output)
    result.server_lost = any(p.server_lost for p in parts)
    fates = [p for p in parts if p.status in ("timed out", "crashed")]
    if fates:
        result.status, result.reason = fates[0].status, "; ".join(dict.fromkeys(p.reason for p in fates))
    else:
        result.status = status_of(result.checks)
    return flag(result, [reason for p in parts for reason in p.flags])


def server_stopped(exercise: Exercise, expected: list[ExpectedCheck], why: str) -> Result:
    """The result when the grading server itself failed (not the learner's doing): every check
    unreported, so the exercise's points still count in the total."""
    result = Result(exercise.slug, exercise.title, "crashed", 0.0, checks_of(expected), server_lost=True)
    result.reason = f"the grading server stopped, so the checks could not run: {why}"
    return unreported(result, result.checks, result.reason)


class Servers:
    """The grading server of one run, replaced (once per server) when it dies under an exercise."""

    def __init__(self, given: Zygote | None) -> None:
        self.current = given or Zygote()
        self.started = [] if given else [self.current]  # the servers this run must stop
        self.lock = threading.Lock()

    def replace(self, dead: Zygote) -> Zygote:
        """A live server in place of ``dead`` (another exercise may already have replaced it)."""
        with self.lock:
            if self.current is dead:
                self.current = Zygote()
                self.started.append(self.current)
            return self.current

    def close_started(self) -> None:
        for server in self.started:
            server.close()

    def close_all(self) -> None:
        for server in {id(s): s for s in [self.current, *self.started]}.values():
            server.close()


class Progress:
    """One live line on a terminal (which exercises run, how many are done); plain lines otherwise."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.running: dict[str, float] = {}
        self.done = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        if self.live:
            threading.Thread(target=self._redraw_loop, daemon=True).start()

    def _line(self) -> str:
        now = time.monotonic()
        running = ", ".join(f"{slug} {now - t:.0f}s" for slug, t in self.running.items())
        return f"grading: done {self.done}/{self.total}" + (f" | running {running}" if running else "")

    def _draw(self) -> None:
        width = shutil.get_terminal_size().columns - 1
        self.stream.write("\r" + self._line()[:width].ljust(width))
        self.stream.flush()

    def _redraw_loop(self) -> None:
        while not self.stop.wait(0.25):
            with self.lock:
                self._draw()

    def started(self, slug: str) -> None:
        with self.lock:
            self.running[slug] = time.monotonic()

    def finished(self, result: Result) -> None:
        with self.lock:
            self.running.pop(result.slug, None)
            self.done += 1
            line = f"{result.slug}: {result.status} ({result.passed}/{len(result.checks)} checks, {result.seconds:.1f} s)"
            self.stream.write(("\r" + line.ljust(shutil.get_terminal_size().columns - 1) + "\n") if self.live else line + "\n")
            if self.live:
                self._draw()
            self.stream.flush()

    def close(self) -> None:
        self.stop.set()
        if self.live:
            with self.lock:
                self.stream.write("\r" + " " * (shutil.get_terminal_size().columns - 1) + "\r")
                self.stream.flush()


def grade(exercises: list[Exercise], answers: Path, time_limit: float | None = None, zygote: Zygote | None = None) -> list[Result]:
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
    progress = Progress(len(exercises))
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


def refused(exercise: Exercise, problem: str) -> Result:
    """The result for an answer file the grader will not run: flagged, every check unreported."""
    result = Result(exercise.slug, exercise.title, "failed", 0.0, checks_of(expected_checks(exercise.check_file)), f"not graded: {problem}")
    return flag(unreported(result, result.checks, result.reason), [problem])


def missing(exercise: Exercise, answers: Path) -> Result:
    """The result for an exercise without an answer file: not started, nothing run."""
    result = Result(exercise.slug, exercise.title, "not started", 0.0, checks_of(expected_checks(exercise.check_file)),
                    f"{answers / exercise.slug}.py does not exist: copy exercises/{exercise.slug}.py there and answer in it")
    return unreported(result, result.checks, result.reason)


def answer_findings(path: Path) -> list[str]:
    """What the tamper scan found in an answer file (nothing for a missing or unreadable one)."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return [f"{path.name}, {finding}" for finding in tamper_findings(source)]


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
    lines = [f"   [pass] {display_name(c.name)}" for c in result.checks if verbose and c.outcome == "passed"]
    causes: dict[str, list[Check]] = {}
    for check in result.checks:
        if check.outcome != "passed":
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


HINTED_KINDS = ("check", "error")  # failures of the answer's logic (not a missing file, a stub or a crash)


def fitting_hints(result: Result, exercise: Exercise, most: int = 2) -> list[str]:
    """The hints that the checks the answer's logic failed name (in check order, at most ``most``),
    else the first hint; none when no check failed that way."""
    failed = [c for c in result.checks if c.outcome != "passed" and c.kind in HINTED_KINDS]
    named = list(dict.fromkeys(c.hint for c in failed if 0 < c.hint <= len(exercise.hints)))[:most]
    if failed and exercise.hints and not named:
        named = [1]
    return [f"hint {n} of {len(exercise.hints)}: {exercise.hints[n - 1]}" for n in named]


def details(result: Result, exercise: Exercise, verbose: bool, edit_in: str = "") -> str:
    """What went wrong in one exercise, with the first hint and the learner's output; all with ``verbose``."""
    if result.status == "passed" and not verbose:
        return ""
    lines = [f"== {result.slug}: {result.status} ({result.points}/{result.max_points} points) =="]
    if result.flags:
        lines.append(f"   flagged for review by a person: the checks reported {result.earned}/{result.max_points} points, "
                     "awarded only once someone has read the answer")
        lines.extend(f"   - {reason}" for reason in result.flags)
    if result.reason:
        lines.append(f"   {result.reason}")
    if result.status == "not started" and not verbose:
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
        "points": sum(r.points for r in results),
        "max_points": sum(r.max_points for r in results),
        "exercises": [
            {
                "slug": r.slug, "title": r.title, "status": r.status, "reason": r.reason, "flags": r.flags,
                "points": r.points, "earned_if_cleared": r.earned, "max_points": r.max_points, "seconds": round(r.seconds, 3),
                "checks": [
                    {"name": c.name, "outcome": c.outcome, "points": c.earned, "max_points": c.points, "message": c.message,
                     "seconds": c.seconds, "training": c.training}
                    for c in r.checks
                ],
            }
            for r in results
        ],
    }


def to_junit(results: list[Result]) -> ET.ElementTree:
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
        suites.set(key, str(sum(int(s.get(key)) for s in suites)))
    ET.indent(suites)
    return ET.ElementTree(suites)


def junit_text(results: list[Result]) -> str:
    """The JUnit report as the text of a file, declaration included."""
    return ET.tostring(to_junit(results).getroot(), encoding="unicode", xml_declaration=True) + "\n"


def junit_outcome(check: Check) -> tuple[str, str]:
    """("", "") for a passed check; ("failure" or "error", message) otherwise."""
    if check.outcome == "passed":
        return "", ""
    return ("error" if check.kind == "unreported" else "failure"), check.message
