"""The fork server behind the grader: import TensorFlow, Keras and pytest once, then fork one
child per exercise.

Importing TensorFlow takes several seconds; checking most answers takes less. This process pays
the import once and then waits for requests, one JSON line each on stdin::

    {"id": "gan_losses", "argv": [...pytest arguments...], "policy": {...}, "output": "..."}

For each it forks a child that starts its own session (so the grader can kill the child and
anything it started), confines it to the request's :class:`mmgen.sandbox.Policy` (working in
its scratch folder), caps its memory and file sizes, sends its output to ``output`` and runs
``pytest.main(argv)``. It answers on stdout with ``{"id", "pid"}`` after the fork and
``{"id", "returncode", "cpu_milliseconds"}`` once the child is gone (the return code negative
for a signal; the CPU time, user and system, is what the child spent grading).

Forking after the import is safe because the import runs no TensorFlow operation: the thread
pools TensorFlow uses are created lazily, in each child, by the child's first operation. This
process never runs one. When stdin closes (the grader finished or died), it kills the children
that are still running and exits.
"""

from __future__ import annotations

import gc
import json
import linecache
import os
import resource
import select
import sys
import tempfile

import pytest

from mmgen.limits import FILE_SIZE_LIMIT_BYTES, MEMORY_LIMIT_BYTES, kill_group
from mmgen.sandbox import Policy, confine

REAP_SECONDS = 0.02
PR_SET_CHILD_SUBREAPER = 36  # from <linux/prctl.h>


def preload() -> None:
    """Import what every child needs, once, with the garbage collector paused.

    Collections during TensorFlow's import only scan objects that stay alive (0.6 s of about 5 s).
    Freezing them afterwards keeps every child's collections from scanning them again, and from
    writing to their memory pages, which the children share with this process until they do.
    """
    gc.disable()
    import keras  # noqa: F401
    import numpy  # noqa: F401
    import tensorflow  # noqa: F401

    import mmgen.checks
    import mmgen.pytest_plugin
    import mmgen.toy_data  # noqa: F401

    load_references()
    gc.freeze()
    gc.enable()


def load_references() -> None:
    """Load every reference solution (and cache its lines for tracebacks) before any child exists:
    the checks compare with them in memory, and a confined child can no longer read their files."""
    from mmgen.answers import AnswerError, load
    from mmgen.pytest_plugin import REFERENCE

    for path in sorted(REFERENCE.glob("*.py")):
        try:
            load(path)
        except AnswerError:
            pass  # a check that asks for this reference reports it
        linecache.getlines(str(path.resolve()))


def run_child(request: dict) -> None:
    """In the forked child: confine, limit, redirect, run pytest, and exit with its status."""
    code = 70
    try:
        os.setsid()
        out = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        rules = Policy.from_json(request["policy"])
        confine(rules)  # what the kernel cannot do, the grader has said once (sandbox.missing_layers)
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
        resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT_BYTES, FILE_SIZE_LIMIT_BYTES))
        os.chdir(rules.scratch)
        # The child exits without Python's clean-up, which would delete the temporary files that
        # AutoGraph writes for each function it converts: put them where the grader deletes them.
        tempfile.tempdir = os.environ["TMPDIR"] = rules.scratch
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        code = int(pytest.main(request["argv"]))
    except BaseException as exc:  # noqa: BLE001  (whatever happens, the child must not return into the server loop)
        print(f"the grading child failed: {exc!r}", file=sys.stderr)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def reply(message: dict) -> None:
    """One JSON line to the grader, sent at once."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def returncode(status: int) -> int:
    """``waitpid`` status as ``subprocess`` reports it: the exit code, or minus the signal."""
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def become_subreaper() -> bool:
    """Adopt every orphaned descendant (Linux's PR_SET_CHILD_SUBREAPER), so that a process an
    answer detaches (double fork, setsid) ends up here, where :func:`kill_orphans` ends it,
    instead of with init; whether the kernel agreed."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def adopted(children: dict[int, str]) -> list[int]:
    """Processes whose parent is this server but that it did not fork: descendants of grading
    children that outlived them."""
    mine, found = os.getpid(), []
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else []:
        if entry.name.isdigit() and int(entry.name) not in children:
            try:
                with open(f"/proc/{entry.name}/stat", "rb") as handle:
                    parent = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if parent == mine:
                found.append(int(entry.name))
    return found


def kill_orphans(children: dict[int, str]) -> None:
    """End every adopted descendant and wait until it is gone (nothing an answer starts may
    outlive its grading)."""
    for pid in adopted(children):
        kill_group(pid)
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:  # already reaped
            pass


def reap(children: dict[int, str]) -> None:
    """Report every child that has finished, without blocking; end what it left behind."""
    while True:
        try:
            pid, status, usage = os.wait4(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        if pid in children:
            request_id = children.pop(pid)
            kill_orphans(children)  # before the reply: a graded exercise has left nothing running
            cpu_milliseconds = round(1000 * (usage.ru_utime + usage.ru_stime))  # the child's own, and its reaped children's
            reply({"id": request_id, "returncode": returncode(status), "cpu_milliseconds": cpu_milliseconds})


def serve() -> None:
    """Fork a child for each request line until stdin closes."""
    children: dict[int, str] = {}
    pending = b""
    while True:
        readable, _, _ = select.select([0], [], [], REAP_SECONDS if children else None)
        if readable:
            chunk = os.read(0, 65536)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                sys.stdout.flush()
                pid = os.fork()
                if pid == 0:
                    run_child(request)
                children[pid] = request["id"]
                reply({"id": request["id"], "pid": pid})
        reap(children)
    for pid in children:
        kill_group(pid)
    kill_orphans({})


if __name__ == "__main__":
    preload()
    become_subreaper()
    serve()
    # Leave at once: an interpreter that has loaded TensorFlow takes about 1.8 s to shut down, and
    # the grader waits for this process. Every reply is already flushed; nothing else needs saving.
    os._exit(0)
