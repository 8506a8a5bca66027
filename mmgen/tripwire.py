"""The grading child's runtime tripwire: an audit hook that ends the child, flagged, as soon as the
answer reaches for what it must not.

Installed before the answer is loaded (and after the reference the checks compare with), it
watches Python's audit events for opening the reference, the known answers, the repository's
history or the grader's state, peeking at other processes through ``/proc``, writing outside the
child's own work folder, and starting, signalling or replacing processes. It then writes one
line, ``TRIPPED: <what>``, to the child's output and exits with :data:`TRIPPED_EXIT`; the grader
flags the exercise with that line. An audit hook cannot be removed from Python code; code that
gets around it (ctypes, say) is what the source scan of :mod:`mmgen.integrity` flags.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from types import FrameType

TRIPPED_EXIT = 87
TRIPPED_PREFIX = "TRIPPED: "
PROCESS_EVENTS = frozenset({
    "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
    "subprocess.Popen", "pty.spawn", "ctypes.dlopen", "sys.addaudithook",
})
PEEKING = re.compile(r"^/proc/(\d+|self|thread-self)/(fd|fdinfo|cwd|root|environ|mem|exe|map_files|task)\b")
ANY_PROCESS = re.compile(r"^/proc/(\d+)/")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _writes(mode, flags) -> bool:
    """Whether an ``open`` audit event opens for writing."""
    if isinstance(mode, str):
        return any(letter in mode for letter in "wax+")
    return isinstance(flags, int) and bool(flags & WRITE_FLAGS)


def _autograph_reading_source() -> bool:
    """Whether AutoGraph is re-reading a source file it converts (it refreshes the line cache of the
    reference's functions that the checks compile; the answer reaching it that way would need
    compile(), which the source scan flags)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "_fix_linecache_record" and "autograph" in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def install(repo: Path, workdir: Path, hidden: tuple[Path, ...] = ()) -> None:
    """Arm the tripwire for the rest of this process's life (``hidden``: check files the answer must not read)."""
    forbidden = tuple(str(repo / part) for part in ("solutions", "tests/answers", ".git", ".grade")) + tuple(map(str, hidden))
    allowed_writes = (str(workdir.resolve()), "/dev/null", "/dev/shm")
    out, leave = sys.__stderr__ or sys.stderr, os._exit

    def trip(what: str) -> None:
        try:
            out.write(f"\n{TRIPPED_PREFIX}{what}\n")
            out.flush()
        finally:
            leave(TRIPPED_EXIT)

    def hook(event: str, args: tuple) -> None:
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            path = os.path.abspath(os.fsdecode(args[0]))
            if path.startswith(forbidden) and not _autograph_reading_source():
                trip(f"the answer opened {path}")
            other = ANY_PROCESS.match(path)
            if PEEKING.match(path) or (other and int(other.group(1)) != os.getpid()):
                trip(f"the answer opened {path} (a process's files, folders or descriptors)")
            if _writes(*(list(args[1:3]) + [None, None])[:2]) and not path.startswith(allowed_writes):
                trip(f"the answer opened {path} for writing, outside its work folder")
        elif event in PROCESS_EVENTS:
            trip(f"the answer called {event}")

    sys.addaudithook(hook)
