"""Confine a grading child with what Linux gives unprivileged processes.

Right after the fork, while the child is still single-threaded, :func:`confine`:

1. moves it into new user, mount and network namespaces: it has no network, and its scratch
   folder becomes a private ``tmpfs`` of :data:`SCRATCH_BYTES` (a quota for the whole
   exercise, where ``RLIMIT_FSIZE`` caps one file) that vanishes with the child;
2. restricts it with Landlock: it may read only the interpreter, the system's libraries, the
   grader's package, the check files and its own answers folder; write only to its scratch
   folder (and ``/dev/null``); open no TCP connection; and signal or reach over abstract Unix
   sockets no process outside its own domain (the grader, the server, other candidates).

The reference solutions are already in memory (the server loaded them before forking), so the
checks can compare with them while the answer cannot read them. Each layer the kernel lacks is
skipped and named by :func:`missing_layers`, which the grader prints as one line: answers then
run unconfined in that respect.
"""

from __future__ import annotations

import ctypes
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SCRATCH_BYTES = 512 * 2**20

# <linux/landlock.h>; the system call numbers are the same on every architecture.
CREATE_RULESET, ADD_RULE, RESTRICT_SELF = 444, 445, 446
CREATE_RULESET_VERSION = 1
RULE_PATH_BENEATH, RULE_NET_PORT = 1, 2
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
CHANGE_TREE = sum(1 << bit for bit in range(4, 13))  # remove, make (dir, file, fifo, socket, device, link)
REFER, TRUNCATE = 1 << 13, 1 << 14  # ABI 2 and 3
NET_TCP = (1 << 0) | (1 << 1)  # bind and connect, ABI 4
SCOPE_ALL = (1 << 0) | (1 << 1)  # abstract Unix sockets and signals, ABI 6
READ = EXECUTE | READ_FILE | READ_DIR
FILE_READ = EXECUTE | READ_FILE  # the rights a rule on a single file may carry
PR_SET_NO_NEW_PRIVS = 38

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWNET = 0x20000, 0x10000000, 0x40000000
MS_REC, MS_PRIVATE = 1 << 14, 1 << 18

SYSTEM_READABLE = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/proc", "/sys", "/dev")
DEVICES_WRITABLE = ("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom")


@dataclass(frozen=True)
class Policy:
    """What one grading child may read and where it may write."""

    readable: tuple[str, ...]
    scratch: str
    listable: tuple[str, ...] = ()  # folders whose entries may be listed, but whose files stay closed
    report: str = ""  # the one file outside the scratch folder the child may write (its events)
    quota: int = SCRATCH_BYTES  # bytes the scratch folder holds

    def to_json(self) -> dict:
        return {"readable": list(self.readable), "scratch": self.scratch, "listable": list(self.listable),
                "report": self.report, "quota": self.quota}

    @classmethod
    def from_json(cls, data: dict) -> Policy:
        return cls(tuple(data["readable"]), data["scratch"], tuple(data["listable"]), data["report"], int(data["quota"]))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def policy(repo: Path, answers: Path, scratch: Path, check_files: tuple[Path, ...], report: Path) -> Policy:
    """The grading child's policy: the interpreter and its packages, the system's libraries, the
    grader's package, the check files and the conftest, and the answers folder; nothing else of
    the checkout, the home folder or the answers folder's neighbours. pytest lists the checkout's
    folders to find the check file: their names may be listed, not their files read."""
    guarded = [repo, answers.parent, scratch.parent, Path.home()]
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    # Import paths inside the checkout (itself, tests/) stay closed; a virtual environment in it is a prefix.
    paths = {p for p in (Path(entry).resolve() for entry in sys.path if entry) if not _inside(p, repo)}
    # A path that holds the checkout, the answers' neighbours, the work folder or the home folder
    # would open them all: only the narrower ones count.
    python = {p for p in prefixes | paths if p.exists() and not any(_inside(g, p) for g in guarded)}
    mine = [repo / "mmgen", *check_files, repo / "conftest.py", repo / "pyproject.toml", answers]
    readable = sorted({*SYSTEM_READABLE, *map(str, python), *(str(p) for p in mine)})
    # pytest lists the folders above a hidden check file (kept outside the checkout) to collect it.
    listable = sorted({str(repo), *(str(folder) for f in check_files if not _inside(f, repo) for folder in f.parents)})
    return Policy(tuple(p for p in readable if os.path.exists(p)), str(scratch), tuple(listable), str(report))


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The Landlock version the kernel offers (0: none)."""
    try:
        return max(0, _libc().syscall(CREATE_RULESET, None, ctypes.c_size_t(0), CREATE_RULESET_VERSION))
    except (OSError, AttributeError):
        return 0


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _fail(what: str) -> OSError:
    errno = ctypes.get_errno()
    return OSError(errno, f"{what}: {os.strerror(errno)}")


def _allow(libc: ctypes.CDLL, ruleset: int, path: str, rights: int) -> None:
    """Grant ``rights`` (those a file can carry, when ``path`` is a file) beneath ``path``."""
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        if not os.path.isdir(path):
            rights &= FILE_READ | WRITE_FILE | TRUNCATE
        rule = _PathBeneath(rights, fd)
        if libc.syscall(ADD_RULE, ruleset, RULE_PATH_BENEATH, ctypes.byref(rule), 0) != 0:
            raise _fail(f"landlock rule for {path}")
    finally:
        os.close(fd)


def restrict(rules: Policy, abi: int) -> None:
    """Apply Landlock to this (single-threaded) process and everything it starts."""
    libc = _libc()
    everything = READ | WRITE_FILE | CHANGE_TREE | (REFER if abi >= 2 else 0) | (TRUNCATE if abi >= 3 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else ctypes.sizeof(ctypes.c_uint64) * (2 if abi >= 4 else 1)
    attr = _RulesetAttr(everything, NET_TCP if abi >= 4 else 0, SCOPE_ALL if abi >= 6 else 0)
    ruleset = libc.syscall(CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        raise _fail("landlock ruleset")
    try:
        for path in rules.readable:
            _allow(libc, ruleset, path, READ)
        for path in rules.listable:
            _allow(libc, ruleset, path, READ_DIR)
        _allow(libc, ruleset, rules.scratch, everything)
        for file in (*DEVICES_WRITABLE, rules.report):
            if file and os.path.exists(file):
                _allow(libc, ruleset, file, READ_FILE | WRITE_FILE | (TRUNCATE if abi >= 3 else 0))
        if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            raise _fail("no_new_privs")
        if libc.syscall(RESTRICT_SELF, ruleset, 0) != 0:
            raise _fail("landlock restrict_self")
    finally:
        os.close(ruleset)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def isolate(scratch: str, quota: int) -> None:
    """New user, mount and network namespaces for this (single-threaded) process; ``scratch``
    becomes a private tmpfs of ``quota`` bytes."""
    libc = _libc()
    uid, gid = os.getuid(), os.getgid()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) != 0:
        raise _fail("unshare")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise _fail("private mounts")
    options = f"size={quota},mode=0700".encode()
    if libc.mount(b"tmpfs", os.fsencode(scratch), b"tmpfs", 0, options) != 0:
        raise _fail("scratch tmpfs")


def confine(rules: Policy) -> list[str]:
    """Isolate and restrict this freshly forked child; what could not be applied (empty: all)."""
    problems = []
    try:
        isolate(rules.scratch, rules.quota)
    except OSError as exc:
        problems.append(f"no namespaces ({exc.strerror})")
    abi = landlock_abi()
    try:
        if not abi:
            raise OSError(0, "the kernel has no Landlock")
        restrict(rules, abi)
    except OSError as exc:
        problems.append(f"no file rules ({exc.strerror})")
    return problems


def missing_layers() -> list[str]:
    """What this machine cannot give a grading child (empty when it can give everything); probed
    in a throw-away child so that this process stays as it is."""
    if not sys.platform.startswith("linux"):
        return [f"{sys.platform} has no Landlock or user namespaces"]
    with tempfile.TemporaryDirectory(prefix="mmgen-probe-") as scratch:
        problems = in_forked_child(lambda: "\n".join(confine(Policy((), scratch))))
    return [line for line in problems.splitlines() if line]


def in_forked_child(work: Callable[[], str]) -> str:
    """What ``work()`` returns when run in a throw-away forked child (this process stays as it is)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            os.write(write, work().encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(pid, 0)
    return said
