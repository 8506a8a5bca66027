"""Supervision of the grading children: the client of the grading server (``mmgen.zygote``),
its replacement when it dies, the children's environment, and what they printed."""

from __future__ import annotations

import collections
import itertools
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, cast

from mmgen.catalog import REPO
from mmgen.limits import kill_group
from mmgen.results import exit_description, printable
from mmgen.sandbox import Policy
from mmgen.tripwire import TRIPPED_PREFIX

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
        # NumPy's OpenBLAS threads spin on after each product; on the checks' small arrays they
        # only burn CPU (a quarter of some exercises' checks).
        OPENBLAS_NUM_THREADS="1",
    )
    return env


class Zygote:
    """The grader's end of ``mmgen.zygote``: one process that imports TensorFlow once and forks a
    fresh, limited child per exercise. Safe to use from several threads."""

    def __init__(self) -> None:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115  (the server's stderr, read by failure(); closed with this object)
        self.process = subprocess.Popen(
            [sys.executable, "-B", "-m", "mmgen.zygote"], cwd=tempfile.gettempdir(), env=child_env(),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, start_new_session=True,
        )
        # Its ends of the two pipes (Popen makes both, as asked).
        self.requests, self.replies = cast(IO[bytes], self.process.stdin), cast(IO[bytes], self.process.stdout)
        self.lock = threading.Lock()
        self.mailboxes: dict[str, queue.Queue] = {}
        self.request_numbers = itertools.count()  # a request's id is its name and number: names repeat across candidates
        self.dead = False
        self.garbled = 0  # lines on the server's pipe that were not its messages
        threading.Thread(target=self._dispatch, daemon=True).start()

    def _dispatch(self) -> None:
        """Hand each message from the server to the exercise it is about; on its death, tell them all."""
        for line in self.replies:
            try:
                message = json.loads(line)
                mailbox = self.mailboxes[message["id"]]
                valid = sorted(message) in (["id", "pid"], ["cpu_milliseconds", "id", "returncode"]) and all(
                    isinstance(message.get(key, 0), int) for key in ("pid", "returncode", "cpu_milliseconds"))
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
            request_id = f"{name}#{next(self.request_numbers)}"
            self.mailboxes[request_id] = mailbox
            if self.dead:
                mailbox.put({"died": self.failure()})
                return mailbox
            request = {"id": request_id, "argv": argv, "policy": rules.to_json(), "output": str(output)}
            try:
                self.requests.write((json.dumps(request) + "\n").encode())
                self.requests.flush()
            except (BrokenPipeError, ValueError):
                pass  # the server is gone or closed: the dispatcher reports it
        return mailbox

    def close(self) -> None:
        """Stop the server (again is harmless); children still running are killed by it."""
        try:
            self.requests.close()
        except BrokenPipeError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            kill_group(self.process.pid)
            self.process.wait()


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


def tripped(output: Path) -> str:
    """What the tripwire said before it ended the child (the last such line of its output)."""
    lines = [line for line in learner_output(output).splitlines() if line.startswith(TRIPPED_PREFIX)]
    return lines[-1].removeprefix(TRIPPED_PREFIX) if lines else "the child ended with the tripwire's exit status"
